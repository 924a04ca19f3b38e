package io.hindsight.materializer;

import java.nio.ByteBuffer;

/**
 * Value of the {@code namespace-checkpoints} store: when the namespace was last checkpointed (in
 * business time, microseconds) and how many changes it has had since. A namespace is due for a
 * checkpoint when it changed and a checkpoint interval of business time has passed.
 */
record NamespaceProgress(long lastCheckpointMicros, long changesSince) {
  byte[] encode() {
    return ByteBuffer.allocate(16).putLong(lastCheckpointMicros).putLong(changesSince).array();
  }

  static NamespaceProgress decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    return new NamespaceProgress(in.getLong(), in.getLong());
  }

  NamespaceProgress changed() {
    return new NamespaceProgress(lastCheckpointMicros, changesSince + 1);
  }

  boolean due(long partitionTimeMicros, long intervalMicros) {
    return changesSince > 0 && partitionTimeMicros - lastCheckpointMicros >= intervalMicros;
  }
}
