package io.hindsight.restorer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order stage: sorts objects into priority classes by the list of {@code restore-order.txt}
 * (data, not code). Within a class objects are sorted by namespace and name for a stable report;
 * the applier applies one class in parallel.
 */
final class RestoreOrder {
  /** One priority class and its objects. */
  record PriorityClass(String name, List<RestoreObject> objects) {}

  private record Entry(String className, int rank, KindRef kind) {}

  private final List<String> classNames;
  private final List<Entry> entries;
  private final String restClass;

  private RestoreOrder(List<String> classNames, List<Entry> entries, String restClass) {
    this.classNames = List.copyOf(classNames);
    this.entries = List.copyOf(entries);
    this.restClass = restClass;
  }

  static RestoreOrder standard() {
    try (InputStream in = RestoreOrder.class.getResourceAsStream("restore-order.txt")) {
      if (in == null) {
        throw new IllegalStateException("restore-order.txt missing from the restorer's resources");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RestoreOrder parse(String text) {
    List<String> names = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    String rest = null;
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "restore order line '" + trimmed + "': want 'name: Kind, ...'");
      }
      String name = trimmed.substring(0, colon).strip();
      names.add(name);
      int rank = 0;
      for (String kind : trimmed.substring(colon + 1).split(",")) {
        String k = kind.strip();
        if (k.equals("*")) {
          rest = name;
        } else if (!k.isEmpty()) {
          entries.add(new Entry(name, rank++, KindRef.parse(k)));
        }
      }
    }
    if (rest == null) {
      throw new IllegalArgumentException("the restore order has no class with '*' for other kinds");
    }
    return new RestoreOrder(names, entries, rest);
  }

  String classOf(KindRef kind) {
    return entry(kind).className();
  }

  private Entry entry(KindRef kind) {
    for (Entry entry : entries) {
      if (entry.kind().matches(kind)) {
        return entry;
      }
    }
    return new Entry(restClass, Integer.MAX_VALUE, kind);
  }

  /** The non-empty classes in order, each sorted by its list's kind order, namespace and name. */
  List<PriorityClass> order(List<RestoreObject> objects) {
    Map<String, List<RestoreObject>> byClass = new LinkedHashMap<>();
    classNames.forEach(name -> byClass.put(name, new ArrayList<>()));
    for (RestoreObject object : objects) {
      byClass.get(classOf(object.kindRef())).add(object);
    }
    Comparator<RestoreObject> within =
        Comparator.<RestoreObject>comparingInt(o -> entry(o.kindRef()).rank())
            .thenComparing(o -> o.kindRef().toString())
            .thenComparing(RestoreObject::namespace)
            .thenComparing(RestoreObject::name);
    List<PriorityClass> classes = new ArrayList<>();
    byClass.forEach(
        (name, list) -> {
          if (!list.isEmpty()) {
            list.sort(within);
            classes.add(new PriorityClass(name, List.copyOf(list)));
          }
        });
    return classes;
  }

  List<String> classNames() {
    return classNames;
  }
}
