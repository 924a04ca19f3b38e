package io.hindsight.history.tables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * What each commit of the streams-app records in its snapshot summary: who wrote it, the next
 * offset of {@code hindsight.changes} for every partition it covers, and the complete-through
 * watermark of each cluster in those partitions. That record makes commits exactly-once after a
 * crash (a restarted writer skips what the table already holds) and tells readers how far history
 * is complete. A partition's committed position is the highest next offset any retained snapshot
 * records for it (positions never go back; a replay halfway commits the old maximum), so table
 * maintenance carries the highest positions into a snapshot of its own before it expires the ones
 * that held them (see {@link #protectedSnapshots}).
 */
public final class CommitLog {
  public static final String WRITER = "hindsight.writer";
  public static final String OFFSETS = "hindsight.offsets";
  public static final String WATERMARKS = "hindsight.watermarks";

  /**
   * Marks a snapshot whose positions were carried forward by table maintenance rather than written
   * by a streams-app thread; fencing ignores it.
   */
  public static final String CARRIED = "hindsight.carried";

  /** Table property: partitions of the source topic, so readers can place a namespace. */
  public static final String SOURCE_PARTITIONS = "hindsight.source-partitions";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The Hindsight part of one snapshot's summary. */
  public record Entry(
      long snapshotId,
      long sequenceNumber,
      long timestampMillis,
      String writer,
      boolean carried,
      Map<Integer, Long> offsets,
      Map<String, Map<Integer, Instant>> watermarks) {}

  private CommitLog() {}

  /** Summary properties for a commit by {@code writer} covering {@code offsets}. */
  public static Map<String, String> summary(
      String writer, Map<Integer, Long> offsets, Map<String, Map<Integer, Instant>> watermarks) {
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put(WRITER, writer);
    ObjectNode offsetsNode = JSON.createObjectNode();
    new TreeMap<>(offsets).forEach((p, o) -> offsetsNode.put(String.valueOf(p), o));
    summary.put(OFFSETS, offsetsNode.toString());
    ObjectNode watermarksNode = JSON.createObjectNode();
    new TreeMap<>(watermarks)
        .forEach(
            (cluster, byPartition) -> {
              ObjectNode node = watermarksNode.putObject(cluster);
              new TreeMap<>(byPartition)
                  .forEach((p, at) -> node.put(String.valueOf(p), Micros.of(at)));
            });
    summary.put(WATERMARKS, watermarksNode.toString());
    return summary;
  }

  /** The Hindsight entries of every retained snapshot of {@code table}, oldest first. */
  public static List<Entry> entries(Table table) {
    List<Entry> entries = new ArrayList<>();
    for (Snapshot snapshot : table.snapshots()) {
      Entry entry = entry(snapshot);
      if (entry != null) {
        entries.add(entry);
      }
    }
    entries.sort(Comparator.comparingLong(Entry::sequenceNumber));
    return entries;
  }

  /** The Hindsight entry of one snapshot, or null when a writer other than Hindsight's made it. */
  public static Entry entry(Snapshot snapshot) {
    Map<String, String> summary = snapshot.summary();
    String offsets = summary == null ? null : summary.get(OFFSETS);
    if (offsets == null) {
      return null;
    }
    try {
      Map<Integer, Long> offsetMap = new HashMap<>();
      JSON.readTree(offsets)
          .fields()
          .forEachRemaining(
              f -> offsetMap.put(Integer.parseInt(f.getKey()), f.getValue().asLong()));
      Map<String, Map<Integer, Instant>> watermarkMap = new HashMap<>();
      String watermarks = summary.get(WATERMARKS);
      if (watermarks != null) {
        JsonNode node = JSON.readTree(watermarks);
        node.fields()
            .forEachRemaining(
                cluster -> {
                  Map<Integer, Instant> byPartition = new HashMap<>();
                  cluster
                      .getValue()
                      .fields()
                      .forEachRemaining(
                          p ->
                              byPartition.put(
                                  Integer.parseInt(p.getKey()),
                                  Micros.toInstant(p.getValue().asLong())));
                  watermarkMap.put(cluster.getKey(), byPartition);
                });
      }
      return new Entry(
          snapshot.snapshotId(),
          snapshot.sequenceNumber(),
          snapshot.timestampMillis(),
          summary.getOrDefault(WRITER, ""),
          Boolean.parseBoolean(summary.get(CARRIED)),
          Map.copyOf(offsetMap),
          watermarkMap);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException(
          "snapshot "
              + snapshot.snapshotId()
              + " of "
              + snapshot.manifestListLocation()
              + " has an unreadable "
              + OFFSETS
              + " summary: "
              + e.getMessage(),
          e);
    }
  }

  /** The committed next offset of every partition: the highest any retained snapshot records. */
  public static Map<Integer, Long> committedOffsets(Table table) {
    return committedOffsets(entries(table));
  }

  static Map<Integer, Long> committedOffsets(List<Entry> entries) {
    Map<Integer, Long> offsets = new HashMap<>();
    for (Entry entry : entries) {
      entry.offsets().forEach((p, next) -> offsets.merge(p, next, Math::max));
    }
    return offsets;
  }

  /** The committed watermark of every cluster and partition: the highest recorded. */
  public static Map<String, Map<Integer, Instant>> watermarks(Table table) {
    return watermarks(entries(table));
  }

  static Map<String, Map<Integer, Instant>> watermarks(List<Entry> entries) {
    Map<String, Map<Integer, Instant>> watermarks = new HashMap<>();
    for (Entry entry : entries) {
      entry
          .watermarks()
          .forEach(
              (cluster, byPartition) -> {
                Map<Integer, Instant> known =
                    watermarks.computeIfAbsent(cluster, c -> new HashMap<>());
                byPartition.forEach((p, at) -> known.merge(p, at, (a, b) -> a.isAfter(b) ? a : b));
              });
    }
    return watermarks;
  }

  /**
   * The summary of the snapshot maintenance commits before it expires old snapshots: the highest
   * position and watermark of everything retained, so the expired snapshots take nothing with them.
   */
  public static Map<String, String> carriedSummary(Table table) {
    List<Entry> entries = entries(table);
    Map<String, String> summary =
        summary("maintenance", committedOffsets(entries), watermarks(entries));
    summary.put(CARRIED, "true");
    return summary;
  }
}
