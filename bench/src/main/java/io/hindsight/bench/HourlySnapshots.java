package io.hindsight.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * The schedule-based way of keeping the same history, for figure 7: a full snapshot of every live
 * object every hour of business time, as today's backup tools take them. Counts the raw JSON bytes
 * of every hourly snapshot exactly, and gzips a sample of them for real (every {@code
 * sampleEvery}-th hour: the objects' JSON one per line, as {@code tar czf} of one file per object
 * would hold them, without tar's headers) to estimate the compressed size of all of them.
 */
final class HourlySnapshots {
  /** What the hourly snapshots of a history add up to. */
  record Result(
      long snapshots,
      long rawBytes,
      int sampled,
      long sampledRawBytes,
      long sampledGzipBytes,
      double gzipRatio,
      long estimatedGzipBytes) {}

  private final int sampleEvery;
  private long snapshots;
  private long rawBytes;
  private int sampled;
  private long sampledRawBytes;
  private long sampledGzipBytes;

  HourlySnapshots(int sampleEvery) {
    this.sampleEvery = Math.max(1, sampleEvery);
  }

  /** Whether the next snapshot is one of the gzipped sample. */
  boolean nextIsSampled() {
    return snapshots % sampleEvery == sampleEvery / 2;
  }

  /** One hourly snapshot of {@code liveBytes} of JSON (not gzipped). */
  void counted(long liveBytes) {
    snapshots++;
    rawBytes += liveBytes;
  }

  /** One hourly snapshot of these objects, gzipped for real. */
  void sampled(Iterable<String> objects) {
    CountingStream counter = new CountingStream();
    long raw = 0;
    try (GZIPOutputStream gzip = new GZIPOutputStream(counter, 64 * 1024)) {
      for (String json : objects) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        gzip.write(bytes);
        gzip.write('\n');
        raw += bytes.length;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    counted(raw);
    sampled++;
    sampledRawBytes += raw;
    sampledGzipBytes += counter.count;
  }

  Result result() {
    double ratio = sampledRawBytes == 0 ? Double.NaN : (double) sampledGzipBytes / sampledRawBytes;
    return new Result(
        snapshots,
        rawBytes,
        sampled,
        sampledRawBytes,
        sampledGzipBytes,
        ratio,
        Math.round(rawBytes * ratio));
  }

  private static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
