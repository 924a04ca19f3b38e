package io.hindsight.materializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Value of the {@code latest-objects} store: what dedupe needs of an object's latest recorded
 * change (uid, resourceVersion, hash, whether it was a deletion) in a small header that is read
 * without decoding the object, followed by the change record exactly as it came from {@code
 * hindsight.changes} (Confluent wire format, so it stays readable across schema versions), which
 * checkpoints decode. A deletion keeps only the header (a marker that ends when the namespace is
 * next checkpointed), so a late duplicate of the delete is recognised.
 */
record StoredState(
    long offset,
    long observedAtMicros,
    String uid,
    String resourceVersion,
    String hash,
    boolean deleted,
    byte[] record) {
  private static final byte VERSION = 1;

  byte[] encode() {
    byte[] uidBytes = uid.getBytes(StandardCharsets.UTF_8);
    byte[] rvBytes = resourceVersion.getBytes(StandardCharsets.UTF_8);
    byte[] hashBytes = hash.getBytes(StandardCharsets.UTF_8);
    int recordLength = deleted || record == null ? 0 : record.length;
    ByteBuffer out =
        ByteBuffer.allocate(
            1
                + 8
                + 8
                + 1
                + 3 * 4
                + uidBytes.length
                + rvBytes.length
                + hashBytes.length
                + recordLength);
    out.put(VERSION).putLong(offset).putLong(observedAtMicros).put((byte) (deleted ? 1 : 0));
    putBytes(out, uidBytes);
    putBytes(out, rvBytes);
    putBytes(out, hashBytes);
    if (recordLength > 0) {
      out.put(record);
    }
    return out.array();
  }

  static StoredState decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte version = in.get();
    if (version != VERSION) {
      throw new IllegalStateException(
          "latest-objects store holds a value of format "
              + version
              + ", this build reads "
              + VERSION);
    }
    long offset = in.getLong();
    long observedAt = in.getLong();
    boolean deleted = in.get() == 1;
    String uid = getString(in);
    String rv = getString(in);
    String hash = getString(in);
    byte[] record = new byte[in.remaining()];
    in.get(record);
    return new StoredState(offset, observedAt, uid, rv, hash, deleted, record);
  }

  private static void putBytes(ByteBuffer out, byte[] bytes) {
    out.putInt(bytes.length).put(bytes);
  }

  private static String getString(ByteBuffer in) {
    byte[] bytes = new byte[in.getInt()];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
