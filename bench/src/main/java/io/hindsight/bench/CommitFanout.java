package io.hindsight.bench;

import java.util.HashSet;
import java.util.Set;

/**
 * How many table partitions one streams-app commit would touch in a layout: the rows of a history
 * cut into windows of the commit interval (business time, rows in time order), and the distinct
 * partition keys of each window counted. Every partition a commit touches is at least one new data
 * file (per stream thread), so this is the layout's small-file rate before compaction.
 */
final class CommitFanout {
  /** The counts over all windows. */
  record Result(long windows, double meanFilesPerCommit, int maxFilesPerCommit) {}

  private final long windowMicros;
  private final Set<String> keys = new HashSet<>();
  private long window = Long.MIN_VALUE;
  private long windows;
  private long total;
  private int max;

  CommitFanout(long windowMicros) {
    if (windowMicros <= 0) {
      throw new IllegalArgumentException("window must be positive: " + windowMicros);
    }
    this.windowMicros = windowMicros;
  }

  /** One row observed at {@code micros} going to the partition {@code key}. */
  void observe(long micros, String key) {
    long w = Math.floorDiv(micros, windowMicros);
    if (w != window) {
      flush();
      window = w;
    }
    keys.add(key);
  }

  Result result() {
    flush();
    return new Result(windows, windows == 0 ? 0 : (double) total / windows, max);
  }

  private void flush() {
    if (!keys.isEmpty()) {
      windows++;
      total += keys.size();
      max = Math.max(max, keys.size());
      keys.clear();
    }
  }
}
