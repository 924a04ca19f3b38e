package io.hindsight.bench;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.materializer.Materializer;
import io.hindsight.materializer.MaterializerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.Table;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real streams-app ({@link Materializer}) in this JVM, on a fresh SQLite catalog, state
 * directory and application id, reading one topic from its beginning; and a second view of its
 * catalog through which the bench watches what it commits, as any reader would.
 */
final class StreamsAppRun implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsAppRun.class);

  /** The streams-app's defaults (a catalog is required to build a configuration; none opens). */
  static final MaterializerConfig DEFAULTS =
      new MaterializerConfig(BenchCatalog.properties(Path.of("unused")));

  private final BenchServers servers;
  private final String applicationId;
  private final Materializer materializer;
  private final BenchCatalog view;
  private final long startedNanos;
  private final long runningNanos;
  private Table changes;

  private StreamsAppRun(
      BenchServers servers,
      String applicationId,
      Materializer materializer,
      BenchCatalog view,
      long startedNanos,
      long runningNanos) {
    this.servers = servers;
    this.applicationId = applicationId;
    this.materializer = materializer;
    this.view = view;
    this.startedNanos = startedNanos;
    this.runningNanos = runningNanos;
  }

  /** What a run sets of the streams-app besides where it reads and writes. */
  record Tuning(long commitIntervalMs, int threads, long cacheMaxBytes) {
    /** The streams-app's defaults but for the commit interval. */
    static Tuning defaults(long commitIntervalMs) {
      return new Tuning(commitIntervalMs, DEFAULTS.threads(), DEFAULTS.cacheMaxBytes());
    }
  }

  /**
   * The streams-app's configuration for one run in {@code dir}: the defaults but for where it reads
   * and writes, and the {@code tuning}.
   */
  static MaterializerConfig config(
      BenchServers servers, String topic, String applicationId, Path dir, Tuning tuning) {
    Map<String, String> values = new HashMap<>(BenchCatalog.properties(catalogDir(dir)));
    values.put(MaterializerConfig.APPLICATION_ID, applicationId);
    values.put(MaterializerConfig.BOOTSTRAP_SERVERS, servers.bootstrapServers());
    values.put(MaterializerConfig.REGISTRY_URL, servers.registryUrl());
    values.put(MaterializerConfig.INPUT_TOPIC, topic);
    values.put(MaterializerConfig.STATE_DIR, dir.resolve("streams").toString());
    values.put(MaterializerConfig.COMMIT_INTERVAL_MS, String.valueOf(tuning.commitIntervalMs()));
    values.put(MaterializerConfig.THREADS, String.valueOf(tuning.threads()));
    values.put(MaterializerConfig.CACHE_MAX_BYTES, String.valueOf(tuning.cacheMaxBytes()));
    return new MaterializerConfig(values);
  }

  private static Path catalogDir(Path dir) {
    return dir.resolve("catalog");
  }

  /** Starts the app configured by {@link #config} for {@code dir}; returns once it is RUNNING. */
  static StreamsAppRun start(
      BenchServers servers, MaterializerConfig config, Path dir, Duration timeout)
      throws TimeoutException {
    long t0 = System.nanoTime();
    Materializer materializer = Materializer.start(config);
    long deadline = t0 + timeout.toNanos();
    try {
      while (!materializer.running()) {
        if (materializer.failure().isDone()) {
          throw new IllegalStateException(
              "the streams-app failed while starting", materializer.failure().join());
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "the streams-app is still " + materializer.state() + " after " + timeout);
        }
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      materializer.close();
      throw new IllegalStateException(e);
    } catch (RuntimeException | TimeoutException e) {
      materializer.close();
      throw e;
    }
    long running = System.nanoTime();
    BenchCatalog view = BenchCatalog.open(catalogDir(dir));
    LOG.info(
        "streams-app {} RUNNING after {} s",
        config.applicationId(),
        Stats.f2((running - t0) / 1e9));
    return new StreamsAppRun(servers, config.applicationId(), materializer, view, t0, running);
  }

  double startupSeconds() {
    return (runningNanos - startedNanos) / 1e9;
  }

  long runningNanos() {
    return runningNanos;
  }

  /** The {@code changes} table as a reader sees it now (refreshed). */
  Table changes() {
    if (changes == null) {
      changes = view.load(ChangesTable.ID);
    }
    changes.refresh();
    return changes;
  }

  /** The committed next offset per partition of the {@code changes} table, as of now. */
  Map<Integer, Long> committedOffsets() {
    return CommitLog.committedOffsets(changes());
  }

  /** Records its stream threads have processed so far (one JMX attribute per thread). */
  double processTotal() {
    return StreamsThreadMetrics.processTotal(applicationId);
  }

  /** Its stream threads' counters, now. */
  StreamsThreadMetrics metrics() {
    return StreamsThreadMetrics.of(applicationId);
  }

  /** Throws when the app died. */
  void checkAlive() {
    if (materializer.failure().isDone()) {
      throw new IllegalStateException("the streams-app failed", materializer.failure().join());
    }
  }

  @Override
  public void close() throws Exception {
    materializer.close();
    view.close();
    // its changelog topics would otherwise stay in the shared broker for the rest of the run
    try (Admin admin = servers.kafka().admin()) {
      List<String> internal =
          admin.listTopics().names().get().stream()
              .filter(t -> t.startsWith(applicationId))
              .toList();
      admin.deleteTopics(internal).all().get();
    } catch (ExecutionException e) {
      LOG.warn(
          "could not delete the internal topics of {}: {}", applicationId, e.getCause().toString());
    }
  }
}
