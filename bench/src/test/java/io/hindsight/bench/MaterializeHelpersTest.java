package io.hindsight.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The materialize benchmarks' own arithmetic, parsing and workload; no servers, no timing. */
class MaterializeHelpersTest {
  private static final CommitFanout.Result FANOUT = new CommitFanout.Result(1, 1, 1);

  @Test
  void aCommitTouchesTheDistinctPartitionsOfItsWindow() {
    CommitFanout fanout = new CommitFanout(10_000_000); // 10 s windows
    fanout.observe(0, "ns=a");
    fanout.observe(1_000_000, "ns=b");
    fanout.observe(9_999_999, "ns=a"); // same window, same partition: still 2
    fanout.observe(10_000_000, "ns=a"); // next window
    fanout.observe(35_000_000, "ns=c"); // a window later, with nothing in between: not counted
    fanout.observe(35_000_001, "ns=d");
    fanout.observe(35_000_002, "ns=e");
    assertThat(fanout.result()).isEqualTo(new CommitFanout.Result(3, 2.0, 3));
    assertThat(new CommitFanout(1).result()).isEqualTo(new CommitFanout.Result(0, 0, 0));
    assertThatThrownBy(() -> new CommitFanout(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dayRowsAreSortedByNamespaceThenTimeThenOffset() {
    org.apache.iceberg.data.GenericRecord template =
        org.apache.iceberg.data.GenericRecord.create(
            io.hindsight.history.tables.ChangesTable.SCHEMA);
    List<org.apache.iceberg.data.Record> rows = new java.util.ArrayList<>();
    Object[][] given = {{"b", 5L, 1L}, {"a", 7L, 3L}, {"a", 7L, 2L}, {"a", 6L, 9L}};
    for (Object[] g : given) {
      org.apache.iceberg.data.Record r = template.copy();
      r.setField(io.hindsight.history.tables.ChangesTable.NAMESPACE, g[0]);
      r.setField(
          io.hindsight.history.tables.ChangesTable.OBSERVED_AT,
          io.hindsight.history.tables.Micros.timestamptz(Instant.ofEpochSecond((Long) g[1])));
      r.setField(io.hindsight.history.tables.ChangesTable.KAFKA_OFFSET, g[2]);
      rows.add(r);
    }
    rows.sort(LayoutWriter.SORT_ORDER);
    assertThat(
            rows.stream()
                .map(
                    r ->
                        r.getField(io.hindsight.history.tables.ChangesTable.NAMESPACE)
                            + "/"
                            + r.getField(io.hindsight.history.tables.ChangesTable.KAFKA_OFFSET))
                .toList())
        .containsExactly("a/9", "a/2", "a/3", "b/1");
  }

  /** Small stand-ins for the testdata manifests, so the test needs no shared folder. */
  private static ManifestTemplates templates() {
    return new ManifestTemplates(
        List.of(
            new ManifestTemplates.Template(
                "apps/v1",
                "Deployment",
                "web",
                "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{}}")),
        List.of(
            new ManifestTemplates.Template(
                "v1", "Service", "web", "\"spec\":{\"selector\":{\"app\":\"web\"}}")),
        new ManifestTemplates.Template(
            "apps/v1", "StatefulSet", "db", "\"spec\":{\"serviceName\":\"db\"}"),
        new ManifestTemplates.Template(
            "apiextensions.k8s.io/v1",
            "CustomResourceDefinition",
            "foos.samplecontroller.k8s.io",
            "\"spec\":{\"group\":\"samplecontroller.k8s.io\",\"versions\":[{\"name\":\"v1alpha1\","
                + "\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\",\"properties\":{\"spec\":"
                + "{\"type\":\"object\",\"properties\":{}}}}}}],\"names\":{\"kind\":\"Foo\","
                + "\"plural\":\"foos\"},\"scope\":\"Namespaced\"}"),
        new ManifestTemplates.Template(
            "samplecontroller.k8s.io/v1alpha1",
            "Foo",
            "example-foo",
            "\"spec\":{\"deploymentName\":\"example-foo\"}"));
  }

  @Test
  void readsTheLoadAverageAndTakesPercentilesOfDoubles() {
    assertThat(LoadAverage.parse("11.77 15.34 16.06 3/712 27738\n"))
        .isEqualTo(new LoadAverage(11.77, 15.34, 16.06));
    double[] sorted = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    assertThat(Stats.percentile(sorted, 0.5)).isEqualTo(0.5);
    assertThat(Stats.percentile(sorted, 0.95)).isEqualTo(1.0);
    assertThat(Stats.percentile(new double[] {3.0}, 0.99)).isEqualTo(3.0);
  }

  @Test
  void aChangeIsVisibleOnceAPolledPositionPassesItsOffset() {
    LagTracker tracker = new LagTracker();
    tracker.sent(0, 10, 1_000, false); // warm-up: becomes visible but does not count
    tracker.sent(0, 11, 1_100, true);
    tracker.sent(0, 12, 1_200, true);
    tracker.sent(3, 5, 1_150, true);
    assertThat(tracker.pendingMeasured()).isEqualTo(3);
    tracker.polled(Map.of(0, 12L, 3, 5L), 9_000); // next offset 12: 10 and 11 are in, 12 is not
    assertThat(tracker.sortedLagsMillis()).containsExactly(7_900);
    assertThat(tracker.pendingMeasured()).isEqualTo(2);
    tracker.polled(Map.of(0, 13L, 3, 6L), 12_000);
    assertThat(tracker.sortedLagsMillis()).containsExactly(7_900, 10_800, 10_850);
    assertThat(tracker.pendingMeasured()).isZero();
  }

  @Test
  void hourlySnapshotsCountEveryHourAndEstimateGzipFromTheSample() {
    HourlySnapshots hourly = new HourlySnapshots(2); // the 2nd, 4th, ... snapshot is gzipped
    assertThat(hourly.nextIsSampled()).isFalse();
    hourly.counted(1000);
    assertThat(hourly.nextIsSampled()).isTrue();
    String object = "{\"kind\":\"ConfigMap\",\"data\":{\"a\":\"" + "x".repeat(200) + "\"}}";
    hourly.sampled(List.of(object, object, object));
    HourlySnapshots.Result r = hourly.result();
    long raw = 3L * (object.length() + 0); // newlines are not counted as object bytes
    assertThat(r.snapshots()).isEqualTo(2);
    assertThat(r.sampled()).isEqualTo(1);
    assertThat(r.sampledRawBytes()).isEqualTo(raw);
    assertThat(r.rawBytes()).isEqualTo(1000 + raw);
    assertThat(r.sampledGzipBytes()).isBetween(20L, raw / 4);
    assertThat(r.gzipRatio()).isCloseTo((double) r.sampledGzipBytes() / raw, within(1e-12));
    assertThat(r.estimatedGzipBytes()).isEqualTo(Math.round((1000 + raw) * r.gzipRatio()));
  }

  @Test
  void storageFiguresAreRatiosOfTheBuiltHistory() {
    HistoryBuilder.Result history =
        new HistoryBuilder.Result(
            1000,
            20,
            Instant.EPOCH,
            Instant.EPOCH.plusSeconds(50),
            0.01,
            12,
            100,
            2,
            "shop",
            80,
            8_000_000,
            3,
            240,
            3,
            200_000,
            1,
            0.5,
            0.2,
            2,
            HistoryBuilder.Appends.DAY,
            List.of(
                new HistoryBuilder.Written(
                    "current", "a", 1000, 1, 600_000, FANOUT, 1, 1000, 1, 1000),
                new HistoryBuilder.Written(
                    "by-namespace", "b", 1000, 2, 700_000, FANOUT, 2, 500, 2, 500)),
            new HourlySnapshots.Result(10, 4_000_000, 2, 800_000, 80_000, 0.1, 400_000),
            null);
    StorageFigures s = StorageFigures.of(history);
    assertThat(s.hindsightBytes()).isEqualTo(800_000);
    assertThat(s.perRawJsonByte()).isCloseTo(0.1, within(1e-12));
    assertThat(s.versusHourlyRaw()).isCloseTo(0.2, within(1e-12));
    assertThat(s.versusHourlyGzip()).isCloseTo(2.0, within(1e-12));
    assertThat(s.layout()).isEqualTo("current");
  }

  @Test
  void statePointsLieInTheHistoryAfterItsFirstHour() {
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    Instant end = start.plusSeconds(10 * 3600);
    List<Instant> at = StateReadBench.instants(start, end, 12, 7);
    assertThat(at)
        .hasSize(12)
        .allSatisfy(t -> assertThat(t).isBetween(start.plusSeconds(3600), end));
    assertThat(StateReadBench.instants(start, end, 12, 7)).isEqualTo(at);
    Instant shortEnd = start.plusSeconds(1000);
    assertThat(StateReadBench.instants(start, shortEnd, 5, 1))
        .allSatisfy(t -> assertThat(t).isBetween(start.plusSeconds(500), shortEnd));
  }

  @Test
  void parsesTheMaterializeOptions() {
    BenchMain.Options options =
        BenchMain.Options.parse(
            new String[] {
              "materialize", "--changes=2000", "--history-changes=10000000", "--lag-rate=50"
            },
            Path.of("/r"));
    assertThat(options.runs("throughput")).isTrue();
    assertThat(options.runs("history")).isTrue();
    assertThat(options.runs("publish")).isFalse();
    assertThat(options.materialize().changes()).isEqualTo(2000);
    assertThat(options.materialize().historyChanges()).isEqualTo(10_000_000);
    assertThat(options.materialize().lagRate()).isEqualTo(50.0);
    assertThat(options.materialize().lagSeconds())
        .isEqualTo(MaterializeBench.Settings.defaults().lagSeconds());
    BenchMain.Options all = BenchMain.Options.parse(new String[0], Path.of("/r"));
    assertThat(all.runs("publish") && all.runs("memory") && all.runs("lag")).isTrue();
    assertThat(all.runs("restore") && all.runs("history")).isTrue();
    BenchMain.Options restore =
        BenchMain.Options.parse(new String[] {"restore", "--restore-objects=50"}, Path.of("/r"));
    assertThat(restore.runs("restore") && !restore.runs("publish")).isTrue();
    assertThat(restore.needsServers()).isFalse();
    assertThat(restore.restoreObjects()).isEqualTo(50);
    BenchMain.Options history = BenchMain.Options.parse(new String[] {"history"}, Path.of("/r"));
    assertThat(history.needsServers()).isFalse();
    assertThat(history.materialize().historyAppends()).isEqualTo("day");
    assertThat(
            BenchMain.Options.parse(new String[] {"--history-appends=COMMIT"}, Path.of("/r"))
                .materialize()
                .historyAppends())
        .isEqualTo("commit");
    assertThat(HistoryBuilder.Appends.COMMIT.everyMicros()).isEqualTo(10_000_000L);
    assertThatThrownBy(
            () -> BenchMain.Options.parse(new String[] {"--history-appends=hour"}, Path.of("/r")))
        .hasMessageContaining("one of day, commit");
    assertThat(BenchMain.Options.parse(new String[] {"capture"}, Path.of("/r")).runs("lag"))
        .isFalse();
    assertThatThrownBy(() -> BenchMain.Options.parse(new String[] {"--changes=0"}, Path.of("/r")))
        .hasMessageContaining("positive");
  }

  @Test
  void everyGeneratedChangeIsNewToTheDedupeAndTheMixHasItsShape() {
    ChangeWorkload.Config config = ChangeWorkload.realistic("c", 500, 3);
    ChangeWorkload workload = new ChangeWorkload(config, templates());
    Map<String, ChangeEnvelope> previous = new HashMap<>();
    Set<String> resourceVersions = new HashSet<>();
    Set<String> uids = new HashSet<>();
    int hot = 0;
    long maxSize = 0;
    Instant at = Instant.parse("2026-11-01T00:00:00Z");
    for (int i = 0; i < 5000; i++) {
      ChangeEnvelope e = workload.next(at.plusMillis(i));
      String id = e.getNamespace() + "/" + e.getKind() + "/" + e.getName();
      ChangeEnvelope before = previous.put(id, e);
      assertThat(resourceVersions.add(e.getResourceVersion())).isTrue();
      assertThat(e.getObject()).contains("\"resourceVersion\":\"" + e.getResourceVersion() + "\"");
      if (i < config.objects()) {
        assertThat(e.getEventType()).as("the initial list first").isEqualTo(EventType.ADDED);
        assertThat(before).as("each object once in the initial list").isNull();
      } else if (before.getEventType() == EventType.DELETED) {
        assertThat(e.getEventType()).isEqualTo(EventType.ADDED);
        assertThat(e.getUid()).isNotEqualTo(before.getUid());
      } else if (e.getEventType() != EventType.DELETED) {
        assertThat(e.getUid()).isEqualTo(before.getUid());
        assertThat(e.getObjectHash()).isNotEqualTo(before.getObjectHash());
      }
      uids.add(e.getUid());
      hot += e.getObject().contains("\"subresource\":\"status\"") && i >= config.objects() ? 1 : 0;
      maxSize = Math.max(maxSize, e.getObject().length());
      assertThat(e.getObservedAt()).isEqualTo(at.plusMillis(i));
    }
    assertThat(previous).hasSize(config.objects());
    assertThat(uids.size()).isGreaterThanOrEqualTo(config.objects());
    assertThat(hot).as("hot objects get ~80%% of the changes").isBetween(3200, 4000);
    assertThat(maxSize).isLessThanOrEqualTo(1500 << 10);
    ChangeWorkload again = new ChangeWorkload(config, templates());
    assertThat(again.next(at)).isEqualTo(new ChangeWorkload(config, templates()).next(at));
  }
}
