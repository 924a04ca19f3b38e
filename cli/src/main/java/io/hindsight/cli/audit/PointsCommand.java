package io.hindsight.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hindsight.history.Change;
import io.hindsight.history.HistoryReader;
import io.hindsight.history.LabelSelector;
import io.hindsight.history.Selection;
import io.hindsight.history.StoredObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hindsight points}: candidate recovery points of a namespace. */
@Command(
    name = "points",
    description = {
      "Candidate recovery points of a namespace, in one of three ways:",
      "  (default)         intervals in which every workload was fully available, from the",
      "                    status its controller recorded (Deployments: every replica updated",
      "                    and available; StatefulSets: every replica ready; DaemonSets: every",
      "                    node available; bare Pods: running and ready)",
      "  --before-change   the last instant before each change of one object",
      "  --kind/--name/--label/--where",
      "                    intervals in which objects matched (e.g. ran a given image)",
      "Any instant of an interval [from, until) is a restore point; 'until' is the first",
      "instant that no longer qualifies. An open interval still held at the end of the history."
    },
    footer = {
      "",
      "Examples:",
      "  hindsight points --namespace shop --since -1d",
      "  hindsight points --namespace shop --before-change Deployment/frontend --since -2h",
      "  hindsight points --namespace shop --kind Deployment --name frontend \\",
      "      --where 'spec.template.spec.containers[name=server].image=registry/frontend:v0.8.0'",
      "  hindsight points --namespace shop --label app=cart --where 'spec.replicas!=0' -o json",
      "",
      "Times: RFC 3339 (2026-03-02T09:00:00Z) or relative to now (-15m, -2h, -1d).",
      "Paths: fields with dots, [0] an element, [*] any, [name=server] the one named so,",
      "[\"app.kubernetes.io/name\"] a field with dots or slashes.",
      "",
      "Exit codes: 0 done (also when nothing matched), 1 failed, 2 bad usage or configuration;",
      "the history refused the question: 10 a time in the future, 11 not yet covered (the",
      "pipeline has not caught up), 12 before the history starts, 13 inside a watcher gap,",
      "14 unknown namespace, 15 unknown cluster (or several: name one with --cluster),",
      "16 history unreadable (no catalog there, tables missing)."
    })
public final class PointsCommand extends AuditCommand {
  @Option(names = "--namespace", required = true, paramLabel = "NS", description = "Namespace.")
  String namespace;

  @Option(names = "--since", paramLabel = "TIME", description = "Only points at or after TIME.")
  String since;

  @Option(names = "--until", paramLabel = "TIME", description = "Only points at or before TIME.")
  String until;

  @Option(
      names = "--before-change",
      paramLabel = "KIND/NAME",
      description = "The last instant before each change of this object (Deployment/frontend).")
  String beforeChange;

  @Option(names = "--kind", paramLabel = "KIND", description = "Search: objects of this kind.")
  String kind;

  @Option(names = "--name", paramLabel = "NAME", description = "Search: objects of this name.")
  String name;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "SELECTOR",
      description = "Search: objects whose labels match.")
  String labels;

  @Option(
      names = "--where",
      paramLabel = "PATH=VALUE",
      description =
          "Search: a field condition, PATH=VALUE or PATH!=VALUE (repeatable; all must hold).")
  List<String> where = new ArrayList<>();

  public PointsCommand() {
    this(Clock.systemUTC());
  }

  public PointsCommand(Clock clock) {
    super(clock);
  }

  private boolean searching() {
    return kind != null || name != null || labels != null || !where.isEmpty();
  }

  @Override
  ObjectNode run(HistoryReader reader) {
    Instant from = time("--since", since);
    Instant to = time("--until", until);
    if (beforeChange != null && searching()) {
      throw new IllegalArgumentException(
          "--before-change names its object itself: leave out --kind, --name, --label and --where");
    }
    ObjectNode result = Json.object();
    result.put("namespace", namespace);
    result.put("since", from == null ? null : from.toString());
    result.put("until", to == null ? null : to.toString());
    if (beforeChange != null) {
      result.put("mode", "before-change");
      beforeChange(reader, from, to, result);
      return result;
    }
    if (searching()) {
      result.put("mode", "search");
      search(reader, from, to, result);
      return result;
    }
    result.put("mode", "available");
    List<Change> changes =
        reader.changes(location.cluster(), namespace, Selection.EVERYTHING, null, to);
    Instant through = completeThrough(reader);
    result.put("completeThrough", through == null ? null : through.toString());
    ArrayNode points = result.putArray("points");
    for (RecoveryPoints.Interval interval : RecoveryPoints.allAvailable(changes)) {
      if (!overlaps(interval.from(), interval.until(), from, to)) {
        continue;
      }
      ObjectNode p = points.addObject();
      p.put("from", interval.from().toString());
      p.put("until", interval.until() == null ? null : interval.until().toString());
      p.put("latest", latest(interval.until(), through, to));
      p.put("workloads", interval.workloads());
      p.put("endedBy", interval.endedBy());
    }
    return result;
  }

  private Instant completeThrough(HistoryReader reader) {
    return reader.coverage(location.cluster()).completeThrough(Optional.of(namespace)).orElse(null);
  }

  /** The latest instant of an interval that is a restore point (within the window). */
  private static String latest(Instant until, Instant through, Instant windowEnd) {
    Instant latest = until != null ? until.minus(RecoveryPoints.RESOLUTION) : through;
    if (latest != null && windowEnd != null && latest.isAfter(windowEnd)) {
      latest = windowEnd;
    }
    return latest == null ? null : latest.toString();
  }

  private static boolean overlaps(
      Instant from, Instant until, Instant windowFrom, Instant windowTo) {
    boolean endsAfterStart = windowFrom == null || until == null || until.isAfter(windowFrom);
    boolean startsBeforeEnd = windowTo == null || !from.isAfter(windowTo);
    return endsAfterStart && startsBeforeEnd;
  }

  private void beforeChange(HistoryReader reader, Instant from, Instant to, ObjectNode result) {
    int slash = beforeChange.indexOf('/');
    if (slash <= 0 || slash == beforeChange.length() - 1) {
      throw new IllegalArgumentException(
          "--before-change '" + beforeChange + "': write KIND/NAME, e.g. Deployment/frontend");
    }
    String objectKind = beforeChange.substring(0, slash);
    String objectName = beforeChange.substring(slash + 1);
    Selection selection =
        new Selection(Set.of(objectKind), Set.of(), LabelSelector.everything(), Set.of(objectName));
    List<Change> changes = reader.changes(location.cluster(), namespace, selection, null, to);
    ArrayNode points = result.putArray("points");
    for (Timeline.Entry entry : Timeline.of(changes)) {
      StoredObject o = entry.change().object();
      if (from != null && o.observedAt().isBefore(from)) {
        continue;
      }
      ObjectNode p = points.addObject();
      p.put("at", RecoveryPoints.before(entry.change()).toString());
      p.put("before", o.observedAt().toString());
      p.put("eventType", entry.change().eventType());
      p.put("kind", o.id().kind());
      p.put("name", o.id().name());
      p.put("resourceVersion", o.resourceVersion());
      ArrayNode writers = p.putArray("writers");
      entry.writers().forEach(w -> writers.add(w.manager()));
      p.set("fields", HistoryCommand.fields(entry.fields()));
    }
    if (changes.isEmpty()) {
      result.put("note", "no recorded change of " + beforeChange + " in namespace " + namespace);
    }
  }

  private void search(HistoryReader reader, Instant from, Instant to, ObjectNode result) {
    ObjectPredicate predicate = ObjectPredicate.of(kind, name, labels, where);
    List<Change> changes =
        reader.changes(location.cluster(), namespace, predicate.selection(), null, to);
    Instant through = completeThrough(reader);
    result.put("predicate", predicate.toString());
    result.put("completeThrough", through == null ? null : through.toString());
    ArrayNode points = result.putArray("points");
    for (RecoveryPoints.Match m : RecoveryPoints.matching(changes, predicate)) {
      if (!overlaps(m.from(), m.until(), from, to)) {
        continue;
      }
      ObjectNode p = points.addObject();
      p.put("kind", m.id().kind());
      p.put("name", m.id().name());
      p.put("uid", m.uid());
      p.put("from", m.from().toString());
      p.put("until", m.until() == null ? null : m.until().toString());
      p.put("latest", latest(m.until(), through, to));
      p.put("resourceVersion", m.resourceVersion());
    }
  }

  @Override
  String text(ObjectNode result) {
    StringBuilder text = new StringBuilder();
    JsonNode points = result.get("points");
    String mode = result.get("mode").asText();
    if (points.isEmpty()) {
      return switch (mode) {
        case "available" ->
            "no instant at which every workload of '" + namespace + "' was available\n";
        case "search" ->
            "no object of '" + namespace + "' matched " + result.get("predicate").asText() + "\n";
        default -> result.path("note").asText("no change in that window") + "\n";
      };
    }
    for (JsonNode p : points) {
      switch (mode) {
        case "available" -> {
          text.append(p.get("from").asText())
              .append(" .. ")
              .append(p.get("until").isNull() ? "(still)" : p.get("until").asText())
              .append("  latest ")
              .append(p.get("latest").asText("?"))
              .append("  workloads available: ")
              .append(p.get("workloads").asInt());
          if (!p.get("endedBy").isNull()) {
            text.append("; ended by ").append(p.get("endedBy").asText());
          }
          text.append('\n');
        }
        case "search" ->
            text.append(p.get("kind").asText())
                .append(' ')
                .append(p.get("name").asText())
                .append("  ")
                .append(p.get("from").asText())
                .append(" .. ")
                .append(p.get("until").isNull() ? "(still)" : p.get("until").asText())
                .append("  latest ")
                .append(p.get("latest").asText("?"))
                .append('\n');
        default -> {
          text.append(p.get("at").asText())
              .append("  before ")
              .append(p.get("eventType").asText())
              .append(' ')
              .append(p.get("kind").asText())
              .append(' ')
              .append(p.get("name").asText())
              .append(" at ")
              .append(p.get("before").asText());
          if (!p.get("writers").isEmpty()) {
            List<String> writers = new ArrayList<>();
            p.get("writers").forEach(w -> writers.add(w.asText()));
            text.append(" by ").append(String.join(", ", writers));
          }
          text.append('\n');
          HistoryCommand.appendFields(text, p.get("fields"), "    ");
        }
      }
    }
    return text.toString();
  }
}
