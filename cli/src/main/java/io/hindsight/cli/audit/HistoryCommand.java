package io.hindsight.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hindsight.cli.audit.FieldDiff.FieldChange;
import io.hindsight.history.Change;
import io.hindsight.history.HistoryReader;
import io.hindsight.history.StoredObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hindsight history}: the timeline of a namespace's changes, with who made them. */
@Command(
    name = "history",
    description = {
      "The timeline of changes in a namespace: when, what (created, modified, deleted),",
      "who (the field managers that wrote it, from metadata.managedFields) and which fields",
      "changed since the object's previous version (server-assigned fields left out)."
    },
    footer = {
      "",
      "Examples:",
      "  hindsight history --namespace shop --since -2h",
      "  hindsight history --namespace shop --kind Deployment --name frontend -o json",
      "  hindsight history --namespace shop --since 2026-03-02T09:00:00Z --until 2026-03-02T10:00:00Z \\",
      "      --data-dir /var/lib/hindsight",
      "",
      "Times: RFC 3339 (2026-03-02T09:00:00Z) or relative to now (-15m, -2h, -1d).",
      "A delete names no writer: the object's final state does not record who deleted it.",
      "",
      "Exit codes: 0 done (also when nothing matched), 1 failed, 2 bad usage or configuration;",
      "the history refused the question: 10 a time in the future, 11 not yet covered (the",
      "pipeline has not caught up), 12 before the history starts, 13 inside a watcher gap,",
      "14 unknown namespace, 15 unknown cluster (or several: name one with --cluster),",
      "16 history unreadable (no catalog there, tables missing)."
    })
public final class HistoryCommand extends AuditCommand {
  @Option(
      names = "--namespace",
      required = true,
      paramLabel = "NS",
      description = "Namespace (\"\" for cluster-scoped objects).")
  String namespace;

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
      description = "Only objects whose labels match (app=web,tier!=db).")
  String labels;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Changes observed at or after TIME.")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Changes observed at or before TIME.")
  String until;

  public HistoryCommand() {
    this(Clock.systemUTC());
  }

  public HistoryCommand(Clock clock) {
    super(clock);
  }

  @Override
  ObjectNode run(HistoryReader reader) {
    Instant from = time("--since", since);
    Instant to = time("--until", until);
    ObjectPredicate predicate = ObjectPredicate.of(kind, name, labels, List.of());
    // from the start: the version before the window is what the first change in it is diffed with
    List<Change> changes =
        reader.changes(location.cluster(), namespace, predicate.selection(), null, to);
    ObjectNode result = Json.object();
    result.put("namespace", namespace);
    result.put("since", from == null ? null : from.toString());
    result.put("until", to == null ? null : to.toString());
    ArrayNode entries = result.putArray("changes");
    for (Timeline.Entry entry : Timeline.of(changes)) {
      StoredObject o = entry.change().object();
      if (from != null && o.observedAt().isBefore(from)) {
        continue;
      }
      ObjectNode node = entries.addObject();
      node.put("observedAt", o.observedAt().toString());
      node.put("eventType", entry.change().eventType());
      node.put("apiVersion", o.apiVersion());
      node.put("kind", o.id().kind());
      node.put("name", o.id().name());
      node.put("uid", o.uid());
      node.put("resourceVersion", o.resourceVersion());
      ArrayNode writers = node.putArray("writers");
      for (Managers.Entry w : entry.writers()) {
        writers
            .addObject()
            .put("manager", w.manager())
            .put("operation", w.operation())
            .put("time", w.time());
      }
      node.set("fields", fields(entry.fields()));
    }
    return result;
  }

  static ArrayNode fields(List<FieldChange> changes) {
    ArrayNode fields = Json.MAPPER.createArrayNode();
    for (FieldChange c : changes) {
      ObjectNode f = fields.addObject();
      f.put("path", c.path());
      f.put("op", c.op());
      f.set("before", c.before());
      f.set("after", c.after());
    }
    return fields;
  }

  @Override
  String text(ObjectNode result) {
    StringBuilder text = new StringBuilder();
    JsonNode changes = result.get("changes");
    if (changes.isEmpty()) {
      return "no changes of namespace '" + namespace + "' in that window\n";
    }
    for (JsonNode c : changes) {
      text.append(c.get("observedAt").asText())
          .append("  ")
          .append(String.format("%-8s", c.get("eventType").asText()))
          .append("  ")
          .append(c.get("kind").asText())
          .append(' ')
          .append(c.get("name").asText());
      if (c.get("eventType").asText().equals("DELETED")) {
        text.append("  (deleter not recorded)");
      } else if (!c.get("writers").isEmpty()) {
        text.append("  by ");
        boolean first = true;
        for (JsonNode w : c.get("writers")) {
          text.append(first ? "" : ", ")
              .append(w.get("manager").asText())
              .append(" (")
              .append(w.get("operation").asText())
              .append(')');
          first = false;
        }
      }
      text.append('\n');
      appendFields(text, c.get("fields"), "    ");
    }
    return text.toString();
  }

  static void appendFields(StringBuilder text, JsonNode fields, String indent) {
    for (JsonNode f : fields) {
      String op = f.get("op").asText();
      text.append(indent)
          .append(op.equals("added") ? "+ " : op.equals("removed") ? "- " : "~ ")
          .append(f.get("path").asText())
          .append(": ");
      if (op.equals("added")) {
        text.append(Json.brief(f.get("after")));
      } else if (op.equals("removed")) {
        text.append(Json.brief(f.get("before")));
      } else {
        text.append(Json.brief(f.get("before"))).append(" -> ").append(Json.brief(f.get("after")));
      }
      text.append('\n');
    }
  }
}
