package io.hindsight.bench;

import io.hindsight.bench.ChangeFeeder.Position;
import io.hindsight.schemas.avro.ChangeEnvelope;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure 5: how long a change takes from being observed to being queryable. With the streams-app
 * running, a sender writes changes of {@link ChangeWorkload#realistic} at a steady rate the way the
 * watcher does (a transaction every 100 ms, heartbeats to every partition every second), each
 * observed at the moment it is sent; a poller refreshes the {@code changes} table every 100 ms and
 * notes when a snapshot's recorded position passed each change's offset ({@link LagTracker}). The
 * first seconds warm up and are not counted.
 */
final class LagBench {
  private static final Logger LOG = LoggerFactory.getLogger(LagBench.class);
  private static final long TICK_MS = 100;
  private static final long HEARTBEAT_MS = 1000;

  record Result(
      double targetPerSecond,
      double sentPerSecond,
      int measuredChanges,
      double warmupSeconds,
      double seconds,
      long commitIntervalMs,
      double startupSeconds,
      long p50Millis,
      long p99Millis,
      long maxMillis,
      long goalMillis,
      LoadAverage.Span load) {}

  private final BenchServers servers;
  private final String runId;
  private final Path work;

  LagBench(BenchServers servers, String runId, Path work) {
    this.servers = servers;
    this.runId = runId;
    this.work = work;
  }

  Result run(
      double perSecond,
      Duration measured,
      Duration warmup,
      long commitIntervalMs,
      ManifestTemplates templates)
      throws Exception {
    LoadAverage start = LoadAverage.now();
    String topic = "bench.lag." + runId;
    try (Admin admin = servers.kafka().admin()) {
      ChangeFeeder.createTopic(admin, topic, ThroughputBench.PARTITIONS);
    }
    ChangeWorkload workload =
        new ChangeWorkload(ChangeWorkload.realistic("bench", 2000, 20261202L), templates);
    Path dir = work.resolve("lag");
    LagTracker tracker = new LagTracker();
    AtomicInteger sent = new AtomicInteger();
    AtomicReference<Throwable> senderFailure = new AtomicReference<>();
    double startup;
    long sendStart;
    long sendEnd;
    try (StreamsAppRun app =
        StreamsAppRun.start(
            servers,
            StreamsAppRun.config(
                servers,
                topic,
                "bench-lag-" + runId,
                dir,
                StreamsAppRun.Tuning.defaults(commitIntervalMs)),
            dir,
            Duration.ofMinutes(5))) {
      startup = app.startupSeconds();
      long total = warmup.plus(measured).toMillis();
      sendStart = System.currentTimeMillis();
      Thread sender =
          new Thread(
              () -> {
                try {
                  send(
                      topic,
                      workload,
                      perSecond,
                      sendStart,
                      total,
                      warmup.toMillis(),
                      tracker,
                      sent);
                } catch (Throwable t) {
                  senderFailure.set(t);
                }
              },
              "bench-lag-sender");
      sender.setDaemon(true);
      sender.start();
      long drainDeadline = Long.MAX_VALUE;
      while (true) {
        app.checkAlive();
        if (senderFailure.get() != null) {
          throw new IllegalStateException("the lag sender failed", senderFailure.get());
        }
        tracker.polled(app.committedOffsets(), System.currentTimeMillis());
        if (!sender.isAlive()) {
          if (drainDeadline == Long.MAX_VALUE) {
            drainDeadline = System.currentTimeMillis() + 3 * commitIntervalMs + 60_000;
          }
          if (tracker.pendingMeasured() == 0) {
            break;
          }
          if (System.currentTimeMillis() > drainDeadline) {
            throw new TimeoutException(
                tracker.pendingMeasured() + " measured changes still not visible");
          }
        }
        Thread.sleep(TICK_MS);
      }
      sendEnd = sendStart + total;
    }
    ThroughputBench.deleteQuietly(dir);
    long[] lags = tracker.sortedLagsMillis();
    double seconds = measured.toMillis() / 1000.0;
    LOG.info(
        "lag: {} changes measured, p50 {} ms, p99 {} ms, max {} ms",
        lags.length,
        Stats.percentile(lags, 0.5),
        Stats.percentile(lags, 0.99),
        lags[lags.length - 1]);
    return new Result(
        perSecond,
        sent.get() / ((sendEnd - sendStart) / 1000.0),
        lags.length,
        warmup.toMillis() / 1000.0,
        seconds,
        commitIntervalMs,
        startup,
        Stats.percentile(lags, 0.5),
        Stats.percentile(lags, 0.99),
        lags[lags.length - 1],
        commitIntervalMs + 2000,
        LoadAverage.Span.from(start));
  }

  /** Sends for {@code totalMs}: every tick the changes due by then, observed as they are sent. */
  private void send(
      String topic,
      ChangeWorkload workload,
      double perSecond,
      long startMillis,
      long totalMs,
      long warmupMs,
      LagTracker tracker,
      AtomicInteger sent)
      throws InterruptedException {
    try (ChangeFeeder feeder =
        new ChangeFeeder(
            servers.bootstrapServers(),
            servers.registryUrl(),
            topic,
            ThroughputBench.PARTITIONS,
            "bench")) {
      long lastHeartbeat = 0;
      while (true) {
        long now = System.currentTimeMillis();
        long elapsed = now - startMillis;
        if (elapsed >= totalMs) {
          return;
        }
        int due = (int) (elapsed * perSecond / 1000.0) - sent.get();
        List<ChangeEnvelope> batch = new ArrayList<>(Math.max(0, due));
        Instant observed = Instant.ofEpochMilli(now);
        for (int i = 0; i < due; i++) {
          batch.add(workload.next(observed));
        }
        boolean heartbeat = now - lastHeartbeat >= HEARTBEAT_MS;
        if (!batch.isEmpty() || heartbeat) {
          List<Position> positions = feeder.write(batch, heartbeat ? observed : null);
          if (heartbeat) {
            lastHeartbeat = now;
          }
          boolean counts = elapsed >= warmupMs;
          for (Position p : positions) {
            tracker.sent(p.partition(), p.offset(), now, counts);
          }
          sent.addAndGet(batch.size());
        }
        long next = startMillis + (elapsed / TICK_MS + 1) * TICK_MS;
        Thread.sleep(Math.max(1, next - System.currentTimeMillis()));
      }
    }
  }
}
