package io.hindsight.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.history.HistoryException;
import io.hindsight.history.HistoryReader;
import io.hindsight.history.Selection;
import io.hindsight.history.StateQuery;
import io.hindsight.history.StoredObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A namespace as history has it against the same namespace as the API server has it, object by
 * object: {@code Kind[.group]/name → uid@resourceVersion}, which names one exact state.
 */
final class RecordedState {
  private RecordedState() {}

  /** The namespace's objects in history at {@code at} (the reader's state at T). */
  static Map<String, String> versions(HistoryReader reader, String cluster, String ns, Instant at) {
    Map<String, String> recorded = new TreeMap<>();
    for (StoredObject o :
        reader
            .stateAt(new StateQuery(cluster, Optional.of(ns), at, Selection.EVERYTHING, false))
            .objects()) {
      String group = o.id().apiGroup().isEmpty() ? "" : "." + o.id().apiGroup();
      recorded.put(
          o.id().kind() + group + "/" + o.id().name(), o.uid() + "@" + o.resourceVersion());
    }
    return recorded;
  }

  /**
   * {@link #versions(HistoryReader, String, String, Instant)}, where an instant inside a recorded
   * gap (the watcher had just begun to watch a type, say a CRD applied a moment before) is an
   * instant not yet settled: the reader rightly refuses it, and the waits above try a later one.
   */
  private static Map<String, String> versionsOutsideGaps(Pipeline pipeline, String ns, Instant at) {
    try {
      return versions(pipeline.reader(), pipeline.cluster, ns, at);
    } catch (HistoryException e) {
      if (e.reason() == HistoryException.Reason.IN_GAP) {
        throw new AssertionError(e.getMessage(), e);
      }
      throw e;
    }
  }

  /** The namespaced objects of a listing. */
  static Map<String, String> versions(ServerObjects.Listing listing) {
    Map<String, String> live = new TreeMap<>();
    listing
        .objects()
        .forEach(
            (key, o) -> {
              JsonNode meta = o.path("metadata");
              if (!meta.path("namespace").asText().isEmpty()) {
                live.put(
                    key, meta.path("uid").asText() + "@" + meta.path("resourceVersion").asText());
              }
            });
    return live;
  }

  /**
   * The server's objects at an instant T of history, once things have settled: a listing taken just
   * before T equals one taken after history is complete through T (so the server held exactly those
   * objects at T), and history's state at T holds exactly them too. Retried while the controllers
   * still write or the watcher has not yet observed the last change; a change history never records
   * keeps the two apart until the wait fails, showing the difference.
   */
  static ServerObjects.AtInstant settled(
      Pipeline pipeline,
      KubernetesClient client,
      String ns,
      java.util.Collection<String> clusterScoped) {
    AtomicReference<ServerObjects.AtInstant> found = new AtomicReference<>();
    await("objects of " + ns + " settled and recorded")
        .atMost(Pipeline.WAIT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              ServerObjects.Listing before = ServerObjects.list(client, ns, clusterScoped);
              Instant at = Pipeline.now();
              pipeline.awaitCovered(at);
              ServerObjects.Listing after = ServerObjects.list(client, ns, clusterScoped);
              assertThat(after.versions())
                  .as("the objects of %s around %s (controllers still at work)", ns, at)
                  .isEqualTo(before.versions());
              assertThat(versionsOutsideGaps(pipeline, ns, at))
                  .as("history of %s at %s against the server's objects then", ns, at)
                  .isEqualTo(versions(after));
              found.set(new ServerObjects.AtInstant(at, after));
            });
    return found.get();
  }

  /**
   * Waits until history, at its committed watermark for {@code ns}, holds exactly {@code live} (the
   * server's objects while nothing changes) and returns that instant. History's time axis is when
   * the watcher observed a change, a little after the server made it, so "covered through the
   * moment the writes stopped" is not yet "the last write seen": the watermark must pass that too.
   * A change never recorded keeps the two apart until the wait fails, with the difference.
   */
  static Instant awaitRecorded(Pipeline pipeline, String ns, Map<String, String> live) {
    AtomicReference<Instant> at = new AtomicReference<>();
    await("history of " + ns + " equal to the live objects")
        .atMost(Pipeline.WAIT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              pipeline.watcher().checkAlive();
              pipeline.materializer().checkAlive();
              Instant through =
                  pipeline
                      .reader()
                      .coverage(pipeline.cluster)
                      .completeThrough(Optional.of(ns))
                      .orElseThrow(() -> new AssertionError("no watermark yet"));
              assertThat(versionsOutsideGaps(pipeline, ns, through))
                  .as("the recorded state of %s at %s against the live one", ns, through)
                  .isEqualTo(live);
              at.set(through);
            });
    return at.get();
  }
}
