package io.hindsight.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who wrote a version of an object, from {@code metadata.managedFields}: the API server keeps one
 * entry per field manager and operation, with the time of its latest write. The writers of a
 * version are the entries that are new or carry a new time compared with the version before; of a
 * created object, all of them. A delete writes nothing into the object, so its final state names no
 * deleter (only the API server's audit log knows).
 */
public final class Managers {
  /** One managedFields entry. */
  public record Entry(String manager, String operation, String time) {}

  private Managers() {}

  public static List<Entry> entries(JsonNode object) {
    List<Entry> out = new ArrayList<>();
    JsonNode managed = object == null ? null : object.at("/metadata/managedFields");
    if (managed != null && managed.isArray()) {
      for (JsonNode e : managed) {
        out.add(
            new Entry(
                e.path("manager").asText(""),
                e.path("operation").asText(""),
                e.path("time").asText("")));
      }
    }
    return out;
  }

  /** The entries of {@code after} written since {@code before} (null: all of them). */
  public static List<Entry> writers(JsonNode before, JsonNode after) {
    List<Entry> now = entries(after);
    if (before == null) {
      return now;
    }
    Map<String, String> earlier = new HashMap<>();
    for (Entry e : entries(before)) {
      earlier.put(e.manager() + "\u0000" + e.operation(), e.time());
    }
    List<Entry> out = new ArrayList<>();
    for (Entry e : now) {
      String time = earlier.get(e.manager() + "\u0000" + e.operation());
      if (time == null || !time.equals(e.time())) {
        out.add(e);
      }
    }
    return out;
  }
}
