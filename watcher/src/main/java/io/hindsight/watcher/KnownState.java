package io.hindsight.watcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the watcher has published and Kafka has committed: per object, its uid, hash and where the
 * full last envelope sits in the state topic (to rebuild a final state for a delete seen only by
 * absence). Changes go through a {@link Batch} that is applied only after the Kafka transaction
 * commits, so an aborted transaction leaves this state as it was. Used by the publisher thread
 * only.
 */
final class KnownState {
  /** The last published state of one object; {@code stateOffset} is -1 until known. */
  record Entry(String uid, String hash, int statePartition, long stateOffset) {}

  private final Map<String, Entry> entries = new HashMap<>();

  int size() {
    return entries.size();
  }

  Entry get(String key) {
    return entries.get(key);
  }

  void put(String key, Entry entry) {
    entries.put(key, entry);
  }

  void remove(String key) {
    entries.remove(key);
  }

  /** Keys starting with {@code prefix} (one resource type's objects). */
  List<String> keysWithPrefix(String prefix) {
    List<String> keys = new ArrayList<>();
    for (String key : entries.keySet()) {
      if (key.startsWith(prefix)) {
        keys.add(key);
      }
    }
    return keys;
  }

  Batch batch() {
    return new Batch();
  }

  /** Changes of one transaction, seen through by reads, applied by {@link #commit()}. */
  final class Batch {
    private static final Entry REMOVED = new Entry("", "", -1, -1);
    private final Map<String, Entry> overlay = new HashMap<>();

    Entry get(String key) {
      Entry e = overlay.get(key);
      if (e == REMOVED) {
        return null;
      }
      return e != null ? e : entries.get(key);
    }

    void put(String key, Entry entry) {
      overlay.put(key, entry);
    }

    void remove(String key) {
      overlay.put(key, REMOVED);
    }

    void commit() {
      overlay.forEach(
          (key, entry) -> {
            if (entry == REMOVED) {
              entries.remove(key);
            } else {
              entries.put(key, entry);
            }
          });
      overlay.clear();
    }
  }
}
