package io.hindsight.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.history.Gap;
import io.hindsight.history.HistoryException;
import io.hindsight.history.Selection;
import io.hindsight.history.StateQuery;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.testing.kube.KubeApiServerExtension;
import io.hindsight.testing.registry.RegistryExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline through faults while changes flow — a writer keeps creating, updating and
 * deleting ConfigMaps and updating a Secret — one fault after the other: the watcher killed
 * (SIGKILL) and restarted, the streams-app killed and restarted, the broker restarted, the API
 * server restarted, etcd compacted so that watches get 410 Gone. After each, the {@code changes}
 * table holds every change exactly once, the recorded state of every object of the namespace equals
 * the live one, and every interval the watcher could not see is a gap the reader reports and
 * restores refuse.
 *
 * <p>"Every change made while the watcher was watching is there" is checked per state the writer
 * created: a state {@code uid@resourceVersion} that existed from its write until the next write of
 * its object must be a row, unless that lifetime overlaps a recorded gap of its type. Changes made
 * while the watcher is down (or relisting after 410 Gone) are seen only in their final state, by
 * the relist: that is by design — a list shows only the present — and the gap covers it, so the
 * states in between may be missing, and restores inside the gap are refused.
 */
@ExtendWith({KubeApiServerExtension.class, RegistryExtension.class, SharedPipeline.class})
@Order(3)
class FaultsIT {
  private static final Logger LOG = LoggerFactory.getLogger(FaultsIT.class);
  private static final String NS = "faults";
  private static final String CLUSTER = SharedPipeline.CLUSTER;

  /** Confirmed writes between two steps: about three seconds of changes. */
  private static final int WRITES = 30;

  /** No new gap expected: the watcher watched throughout. */
  private static final String NO_GAP = null;

  private Pipeline pipeline;
  private KubeApiServer kube;
  private KubernetesClient client;
  private ChangeWriter writer;
  private final Set<String> knownGaps = new HashSet<>();

  /** Per fault with a gap, an instant inside it: restores there must be refused. */
  private final Map<String, Instant> insideGaps = new java.util.LinkedHashMap<>();

  private final Instant begin = Instant.now();

  @BeforeEach
  void start(Pipeline shared, KubeApiServer kube, KubernetesClient client) {
    this.pipeline = shared;
    this.kube = kube;
    this.client = client;
    Manifests.namespace(client, NS);
    // gaps of the suite so far (none expected, but not this test's to judge) are not new
    pipeline.reader().gaps(CLUSTER, Instant.EPOCH, Instant.now()).forEach(this::known);
    writer = new ChangeWriter(kube.config(), NS);
  }

  @AfterEach
  void stop() {
    if (writer != null) {
      writer.close();
    }
  }

  private boolean known(Gap gap) {
    return !knownGaps.add(gap.resource() + "|" + gap.from() + "|" + gap.to());
  }

  @Test
  void everyChangeExactlyOnceAndEveryBlindIntervalAGapThroughFiveFaults() {
    writer.start();
    writer.awaitMoreWrites(WRITES);
    verify("steady state", NO_GAP);

    // the watcher dies without a word; changes go on; a new one starts from the state topic
    Pipeline.kill(pipeline.watcher());
    writer.awaitMoreWrites(WRITES);
    pipeline.startWatcher();
    pipeline.awaitReady();
    writer.awaitMoreWrites(WRITES);
    verify("watcher killed and restarted", "WATCHER_START");

    // the streams-app dies between (or inside) commits; the watcher goes on publishing
    Pipeline.kill(pipeline.materializer());
    writer.awaitMoreWrites(WRITES);
    pipeline.startMaterializer();
    pipeline.awaitReady();
    writer.awaitMoreWrites(WRITES);
    verify("streams-app killed and restarted", NO_GAP);

    // the broker goes away for a while (a clean restart); producer and streams-app retry
    pipeline.kafka.restart();
    pipeline.awaitReady();
    writer.awaitMoreWrites(WRITES);
    verify("broker restarted", NO_GAP);

    // the API server restarts: watches break; its fresh watch cache answers old versions with 410
    kube.restartApiServer();
    pipeline.awaitReady();
    writer.awaitMoreWrites(WRITES);
    verify("API server restarted", "WATCH_RELIST");

    // etcd compacted past what the informers saw, and every watch must reconnect: 410 Gone
    kube.compactEtcd();
    pipeline.awaitReady();
    writer.awaitMoreWrites(WRITES);
    verify("etcd compacted", "WATCH_RELIST");

    assertThat(insideGaps)
        .as("faults with gaps")
        .containsOnlyKeys("watcher killed and restarted", "API server restarted", "etcd compacted");
    assertRestoresInsideGapsRefused();
    LOG.info(
        "{} confirmed writes, {} failed while the API server was away, gaps {}",
        writer.writes().size(),
        writer.failures(),
        knownGaps);
  }

  /**
   * With the writer paused: waits until history covers now, then checks the table, the recorded
   * state and the gaps — new ones of the reason expected ({@code WATCHER_START} after the watcher's
   * restart, {@code WATCH_RELIST} after a relist), or none; resumes the writer.
   */
  private void verify(String step, String gapReason) {
    writer.pause();
    try {
      Map<String, String> live = RecordedState.versions(ServerObjects.list(client, NS, List.of()));
      assertThat(live).as("%s: live objects", step).containsKey("Secret/" + ChangeWriter.SECRET);
      // the recorded state equals the live one (and from then on every observed change is in)
      Instant end = RecordedState.awaitRecorded(pipeline, NS, live);
      pipeline.awaitCovered(end);
      List<ChangeRows.Row> rows = ChangeRows.read(pipeline.catalog(), CLUSTER);
      List<Gap> gaps = pipeline.reader().gaps(CLUSTER, begin, end);
      LOG.info("after '{}': {} rows, gaps {}", step, rows.size(), gaps);

      assertExactlyOnce(step, rows);
      assertNoLiveObjectDeleted(step, rows);
      assertEveryStateRecorded(step, rows, gaps);
      List<Gap> fresh = new ArrayList<>();
      for (Gap gap : gaps) {
        if (!known(gap)) {
          fresh.add(gap);
        }
      }
      if (gapReason != null) {
        assertThat(fresh)
            .as("%s: new gaps", step)
            .isNotEmpty()
            .allSatisfy(g -> assertThat(g.reason()).startsWith(gapReason));
        assertGapsReported(step, fresh);
      } else {
        assertThat(fresh).as("%s: no new gap (the watcher watched throughout)", step).isEmpty();
      }
    } finally {
      writer.resume();
    }
  }

  /**
   * No position twice; no state twice: (uid, resourceVersion) once among the additions and
   * modifications, at most one deletion per uid. (A deletion found by a relist carries the last
   * state the watcher knew, so its resourceVersion repeats that state's; the event type tells them
   * apart.)
   */
  private static void assertExactlyOnce(String step, List<ChangeRows.Row> rows) {
    Map<String, List<ChangeRows.Row>> positions = new HashMap<>();
    Map<String, List<ChangeRows.Row>> states = new HashMap<>();
    Map<String, List<ChangeRows.Row>> deletions = new HashMap<>();
    for (ChangeRows.Row r : rows) {
      positions.computeIfAbsent(r.partition() + "/" + r.offset(), k -> new ArrayList<>()).add(r);
      var byState = r.deleted() ? deletions : states;
      String key = r.deleted() ? r.uid() : r.uid() + "@" + r.resourceVersion();
      byState.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    assertThat(twice(positions)).as("%s: (kafka_partition, kafka_offset) twice", step).isEmpty();
    assertThat(twice(states)).as("%s: (uid, resourceVersion) twice", step).isEmpty();
    assertThat(twice(deletions)).as("%s: a uid deleted twice", step).isEmpty();
  }

  /**
   * No object that still lives is recorded as deleted, in any namespace the suite records (a relist
   * or a rediscovery that wrongly takes objects for gone would do that).
   */
  private void assertNoLiveObjectDeleted(String step, List<ChangeRows.Row> rows) {
    Set<String> live = new HashSet<>();
    for (String ns : SharedPipeline.NAMESPACES) {
      ServerObjects.list(client, ns, List.of())
          .objects()
          .values()
          .forEach(o -> live.add(o.path("metadata").path("uid").asText()));
    }
    assertThat(rows.stream().filter(r -> r.deleted() && live.contains(r.uid())).toList())
        .as("%s: deletions recorded of objects that live", step)
        .isEmpty();
  }

  /** The rows of every key that has more than one, for the failure message. */
  private static List<List<ChangeRows.Row>> twice(Map<String, List<ChangeRows.Row>> rowsByKey) {
    return rowsByKey.values().stream().filter(r -> r.size() > 1).toList();
  }

  /**
   * Every state the writer made is a row unless its lifetime overlaps a gap of its type; every
   * deleted object that history knew has its deletion recorded.
   */
  private void assertEveryStateRecorded(String step, List<ChangeRows.Row> rows, List<Gap> gaps) {
    Set<String> recorded = new HashSet<>();
    Set<String> deletedUids = new HashSet<>();
    Set<String> knownUids = new HashSet<>();
    for (ChangeRows.Row r : rows) {
      if (!r.namespace().equals(NS)) {
        continue;
      }
      knownUids.add(r.uid());
      if (r.deleted()) {
        deletedUids.add(r.uid());
      } else {
        recorded.add(r.uid() + "@" + r.resourceVersion());
      }
    }
    List<ChangeWriter.Write> writes = writer.writes();
    Map<String, ChangeWriter.Write> next = new HashMap<>();
    List<String> missing = new ArrayList<>();
    Set<String> excused = new LinkedHashSet<>();
    // newest first, so each write knows the write that ended its state
    for (int i = writes.size() - 1; i >= 0; i--) {
      ChangeWriter.Write w = writes.get(i);
      String object = w.kind() + "/" + w.name();
      ChangeWriter.Write ended = next.put(object, w);
      if (w.delete()) {
        if (knownUids.contains(w.uid()) && !deletedUids.contains(w.uid())) {
          missing.add(object + " deletion of " + w.uid());
        }
        continue;
      }
      String state = w.uid() + "@" + w.resourceVersion();
      if (recorded.contains(state)) {
        continue;
      }
      // the longest it can have lived: from sending its write to the answer of the next one
      Instant from = w.sent();
      Instant to = ended == null ? Instant.now() : ended.answered();
      Optional<Gap> gap =
          gaps.stream()
              .filter(g -> covers(g, w.kind()) && !g.from().isAfter(to) && !g.to().isBefore(from))
              .findFirst();
      if (gap.isPresent()) {
        excused.add(
            object + " " + state + " (in gap " + gap.get().from() + "…" + gap.get().to() + ")");
      } else {
        missing.add(object + " " + state + " written " + from + ", lived until " + to);
      }
    }
    LOG.info(
        "after '{}': {} writes; {} states unseen inside gaps (by design), e.g. {}",
        step,
        writes.size(),
        excused.size(),
        excused.stream().limit(3).toList());
    assertThat(missing)
        .as("%s: changes made while the watcher watched, not recorded", step)
        .isEmpty();
  }

  private static boolean covers(Gap gap, String kind) {
    String type = kind.equals("Secret") ? "/v1/secrets" : "/v1/configmaps";
    return gap.allResources()
        || gap.resource().equals(type)
        || gap.resource().startsWith(type + " ");
  }

  /**
   * Each new gap is reported by the reader: {@code stateAt} refuses an instant inside it (IN_GAP);
   * one instant per fault is kept for {@link #assertRestoresInsideGapsRefused}.
   */
  private void assertGapsReported(String step, List<Gap> fresh) {
    boolean kept = false;
    for (Gap gap : fresh) {
      assertThat(gap.from()).as("%s: %s", step, gap).isBefore(gap.to());
      Instant inside = gap.from().plus(Duration.between(gap.from(), gap.to()).dividedBy(2));
      assertThatThrownBy(
              () ->
                  pipeline
                      .reader()
                      .stateAt(
                          new StateQuery(
                              CLUSTER, Optional.of(NS), inside, Selection.EVERYTHING, false)))
          .as("%s: state at %s inside %s", step, inside, gap)
          .isInstanceOfSatisfying(
              HistoryException.class,
              e -> assertThat(e.reason()).isEqualTo(HistoryException.Reason.IN_GAP));
      if (!kept) {
        // one restore per fault, run at the end (all at once: each is a JVM start)
        insideGaps.put(step, inside);
        kept = true;
      }
    }
  }

  /**
   * {@code hindsight restore --at} an instant inside each fault's gap exits with the gap exit code
   * (7), says so, and writes nothing.
   */
  private void assertRestoresInsideGapsRefused() {
    List<String[]> requests = new ArrayList<>();
    insideGaps
        .values()
        .forEach(
            at ->
                requests.add(
                    new String[] {
                      "--namespace", NS, "--at", at.toString(), "--to-namespace", NS + "-copy"
                    }));
    List<Hindsight.Run> runs = pipeline.restoreAll(requests);
    List<String> steps = List.copyOf(insideGaps.keySet());
    for (int i = 0; i < runs.size(); i++) {
      Hindsight.Run run = runs.get(i);
      assertThat(run.exitCode()).as("%s: %s", steps.get(i), run).isEqualTo(7);
      assertThat(run.stderr()).as("%s: %s", steps.get(i), run).contains("gap");
    }
    assertThat(client.namespaces().withName(NS + "-copy").get()).isNull();
  }
}
