package io.hindsight.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hindsight.cli.audit.FieldDiff.FieldChange;
import io.hindsight.history.HistoryReader;
import io.hindsight.history.ObjectId;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;
import io.hindsight.history.StoredObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hindsight diff}: what changed in a namespace between two instants. */
@Command(
    name = "diff",
    description = {
      "What was created, deleted and changed in a namespace between two instants: the state",
      "at each (latest checkpoint plus later changes, as a restore would see it), compared",
      "field by field. Fields the server assigns (resourceVersion, managedFields, generation,",
      "uid, timestamps) and status are left out unless asked for."
    },
    footer = {
      "",
      "Examples:",
      "  hindsight diff --namespace shop --from -2h --to now",
      "  hindsight diff --namespace shop --from 2026-03-02T09:00:00Z --to 2026-03-02T11:00:00Z \\",
      "      --kind Deployment --include-status -o yaml",
      "  hindsight diff --namespace shop --from -1d --to -1h --ignore 'metadata.annotations'",
      "",
      "Times: RFC 3339 (2026-03-02T09:00:00Z) or relative to now (-15m, -2h, -1d).",
      "An object deleted and created again in between shows as changed and re-created.",
      "",
      "Exit codes: 0 done (also when nothing matched), 1 failed, 2 bad usage or configuration;",
      "the history refused the question: 10 a time in the future, 11 not yet covered (the",
      "pipeline has not caught up), 12 before the history starts, 13 inside a watcher gap,",
      "14 unknown namespace, 15 unknown cluster (or several: name one with --cluster),",
      "16 history unreadable (no catalog there, tables missing)."
    })
public final class DiffCommand extends AuditCommand {
  @Option(
      names = "--namespace",
      required = true,
      paramLabel = "NS",
      description = "Namespace (\"\" for cluster-scoped objects).")
  String namespace;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "TIME",
      description = "The earlier instant.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "TIME", description = "The later instant.")
  String to;

  @Option(
      names = "--kind",
      paramLabel = "KIND",
      description = "Only this kind (Deployment or deployment.apps).")
  String kind;

  @Option(names = "--name", paramLabel = "NAME", description = "Only objects of this name.")
  String name;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "SELECTOR",
      description = "Only objects whose labels match.")
  String labels;

  @Option(names = "--include-status", description = "Compare status too.")
  boolean includeStatus;

  @Option(
      names = "--ignore",
      paramLabel = "PATH",
      description = "Also leave out this field and what is below it (repeatable).")
  List<String> ignore = new ArrayList<>();

  @Option(
      names = "--allow-gaps",
      description = "Answer even when an instant lies in a recorded watcher gap.")
  boolean allowGaps;

  public DiffCommand() {
    this(Clock.systemUTC());
  }

  public DiffCommand(Clock clock) {
    super(clock);
  }

  /** The fields left out by default and by the options. */
  static Set<String> ignored(boolean includeStatus, List<String> more) {
    Set<String> ignored = new HashSet<>(FieldDiff.SERVER_FIELDS);
    ignored.addAll(FieldDiff.INCARNATION_FIELDS);
    if (!includeStatus) {
      ignored.add("status");
    }
    for (String path : more) {
      ignored.add(JsonPath.parse(path).toString());
    }
    return ignored;
  }

  @Override
  ObjectNode run(HistoryReader reader) {
    Instant t1 = time("--from", from);
    Instant t2 = time("--to", to);
    if (t2.isBefore(t1)) {
      throw new IllegalArgumentException("--to " + t2 + " is before --from " + t1);
    }
    FieldDiff diff = new FieldDiff(ignored(includeStatus, ignore));
    ObjectPredicate predicate = ObjectPredicate.of(kind, name, labels, List.of());
    State before =
        reader.stateAt(
            new StateQuery(
                location.cluster(), Optional.of(namespace), t1, predicate.selection(), allowGaps));
    State after =
        reader.stateAt(
            new StateQuery(
                location.cluster(), Optional.of(namespace), t2, predicate.selection(), allowGaps));
    Map<ObjectId, StoredObject> was = index(before);
    Map<ObjectId, StoredObject> is = index(after);
    ObjectNode result = Json.object();
    result.put("cluster", after.cluster());
    result.put("namespace", namespace);
    result.put("from", t1.toString());
    result.put("to", t2.toString());
    ArrayNode created = result.putArray("created");
    ArrayNode deleted = result.putArray("deleted");
    ArrayNode changed = result.putArray("changed");
    Set<ObjectId> ids = new TreeSet<>(java.util.Comparator.comparing(ObjectId::toString));
    ids.addAll(was.keySet());
    ids.addAll(is.keySet());
    for (ObjectId id : ids) {
      StoredObject a = was.get(id);
      StoredObject b = is.get(id);
      if (a == null) {
        created.add(describe(b));
      } else if (b == null) {
        deleted.add(describe(a));
      } else {
        List<FieldChange> fields = diff.diff(Json.parse(a.json()), Json.parse(b.json()));
        boolean recreated = !a.uid().equals(b.uid());
        if (!fields.isEmpty() || recreated) {
          ObjectNode node = describe(b);
          node.put("recreated", recreated);
          if (recreated) {
            node.put("uidBefore", a.uid());
          }
          node.put("resourceVersionBefore", a.resourceVersion());
          node.set("fields", HistoryCommand.fields(fields));
          changed.add(node);
        }
      }
    }
    return result;
  }

  private static Map<ObjectId, StoredObject> index(State state) {
    Map<ObjectId, StoredObject> out = new LinkedHashMap<>();
    state.objects().forEach(o -> out.put(o.id(), o));
    return out;
  }

  private static ObjectNode describe(StoredObject o) {
    ObjectNode node = Json.object();
    node.put("apiVersion", o.apiVersion());
    node.put("kind", o.id().kind());
    node.put("name", o.id().name());
    node.put("uid", o.uid());
    node.put("resourceVersion", o.resourceVersion());
    return node;
  }

  @Override
  String text(ObjectNode result) {
    StringBuilder text = new StringBuilder();
    text.append("namespace ")
        .append(result.get("namespace").asText())
        .append(" of cluster ")
        .append(result.get("cluster").asText())
        .append(", ")
        .append(result.get("from").asText())
        .append(" -> ")
        .append(result.get("to").asText())
        .append('\n');
    section(text, "created", result.get("created"));
    section(text, "deleted", result.get("deleted"));
    JsonNode changed = result.get("changed");
    text.append("changed: ").append(changed.isEmpty() ? "none" : changed.size()).append('\n');
    for (JsonNode c : changed) {
      text.append("  ").append(c.get("kind").asText()).append(' ').append(c.get("name").asText());
      if (c.get("recreated").asBoolean()) {
        text.append("  (re-created: uid ")
            .append(c.get("uidBefore").asText())
            .append(" -> ")
            .append(c.get("uid").asText())
            .append(')');
      }
      text.append('\n');
      HistoryCommand.appendFields(text, c.get("fields"), "      ");
    }
    return text.toString();
  }

  private static void section(StringBuilder text, String title, JsonNode objects) {
    text.append(title)
        .append(": ")
        .append(objects.isEmpty() ? "none" : objects.size())
        .append('\n');
    for (JsonNode o : objects) {
      text.append("  ")
          .append(o.get("kind").asText())
          .append(' ')
          .append(o.get("name").asText())
          .append('\n');
    }
  }
}
