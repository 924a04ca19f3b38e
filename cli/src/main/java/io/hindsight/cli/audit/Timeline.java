package io.hindsight.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.hindsight.cli.audit.FieldDiff.FieldChange;
import io.hindsight.history.Change;
import io.hindsight.history.ObjectId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes of a namespace as a timeline: per change, who wrote it ({@link Managers}) and what
 * fields it changed since the object's previous version ({@link FieldDiff}, without the fields the
 * server assigns). A created object lists no fields; a deleted one names no writer.
 */
public final class Timeline {
  /** One change with its writers and field changes. */
  public record Entry(
      Change change, JsonNode json, List<Managers.Entry> writers, List<FieldChange> fields) {}

  private Timeline() {}

  /** {@code changes} in recorded order (as {@code HistoryReader.changes} returns them). */
  public static List<Entry> of(List<Change> changes) {
    FieldDiff diff = new FieldDiff(FieldDiff.SERVER_FIELDS);
    Map<ObjectId, JsonNode> previous = new HashMap<>();
    List<Entry> out = new ArrayList<>();
    for (Change change : changes) {
      ObjectId id = change.object().id();
      JsonNode json = Json.parse(change.object().json());
      JsonNode before = previous.get(id);
      List<Managers.Entry> writers;
      List<FieldChange> fields;
      if (change.deleted()) {
        writers = List.of();
        fields = List.of();
        previous.remove(id);
      } else if ("ADDED".equals(change.eventType()) || before == null) {
        writers = Managers.writers(null, json);
        fields = List.of();
        previous.put(id, json);
      } else {
        writers = Managers.writers(before, json);
        fields = diff.diff(before, json);
        previous.put(id, json);
      }
      out.add(new Entry(change, json, writers, fields));
    }
    return out;
  }
}
