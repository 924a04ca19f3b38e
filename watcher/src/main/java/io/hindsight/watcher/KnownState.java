package io.hindsight.watcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the watcher has published and Kafka has committed: per object, its uid, hash and where the
 * full last envelope sits in the state topic (to rebuild a final state for a delete seen only by
 * absence). Changes go through a {@link Batch} that is applied only after the Kafka transaction
 * commits, so an aborted transaction leaves this state as it was. Used by the publisher thread
 * only.
 */
final class KnownState {
  /**
   * The last published state of one object; {@code stateOffset} is -1 until known. Held for every
   * recorded object, so kept small (about 80 bytes instead of 200): a UUID uid as two longs, the
   * hex SHA-256 as four; anything else stays text.
   */
  static final class Entry {
    private final long uidHigh;
    private final long uidLow;
    private final String uidText; // null when the uid is a UUID
    private final long h0;
    private final long h1;
    private final long h2;
    private final long h3;
    private final String hashText; // null when the hash is 64 hex digits
    private final int statePartition;
    private final long stateOffset;

    Entry(String uid, String hash, int statePartition, long stateOffset) {
      UUID parsed = uuid(uid);
      this.uidHigh = parsed == null ? 0 : parsed.getMostSignificantBits();
      this.uidLow = parsed == null ? 0 : parsed.getLeastSignificantBits();
      this.uidText = parsed == null ? uid : null;
      boolean hex = isHex64(hash);
      this.h0 = hex ? word(hash, 0) : 0;
      this.h1 = hex ? word(hash, 1) : 0;
      this.h2 = hex ? word(hash, 2) : 0;
      this.h3 = hex ? word(hash, 3) : 0;
      this.hashText = hex ? null : hash;
      this.statePartition = statePartition;
      this.stateOffset = stateOffset;
    }

    String uid() {
      return uidText != null ? uidText : new UUID(uidHigh, uidLow).toString();
    }

    String hash() {
      return hashText != null
          ? hashText
          : HEX.toHexDigits(h0) + HEX.toHexDigits(h1) + HEX.toHexDigits(h2) + HEX.toHexDigits(h3);
    }

    /** Whether {@code other} is this hash, without building the hex. */
    boolean hasHash(String other) {
      if (hashText != null || !isHex64(other)) {
        return other.equals(hashText);
      }
      return word(other, 0) == h0
          && word(other, 1) == h1
          && word(other, 2) == h2
          && word(other, 3) == h3;
    }

    int statePartition() {
      return statePartition;
    }

    long stateOffset() {
      return stateOffset;
    }

    private static UUID uuid(String uid) {
      // the canonical 8-4-4-4-12 form only, so that uid() gives back the very text
      if (uid == null || uid.length() != 36) {
        return null;
      }
      try {
        UUID parsed = UUID.fromString(uid);
        return parsed.toString().equals(uid) ? parsed : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    private static boolean isHex64(String hash) {
      if (hash == null || hash.length() != 64) {
        return false;
      }
      for (int i = 0; i < 64; i++) {
        char c = hash.charAt(i);
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
          return false; // upper case would not come back as the same text
        }
      }
      return true;
    }

    private static long word(String hex, int index) {
      return Long.parseUnsignedLong(hex, index * 16, index * 16 + 16, 16);
    }
  }

  private static final HexFormat HEX = HexFormat.of();

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
