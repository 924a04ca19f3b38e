package io.hindsight.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.serde.SchemaRegistryClient;
import io.hindsight.testing.kafka.KafkaBroker;
import io.hindsight.testing.kafka.KafkaExtension;
import io.hindsight.testing.process.ChildProcess;
import io.hindsight.testing.registry.RegistryExtension;
import io.hindsight.testing.registry.RegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams-app in a child JVM, killed with SIGKILL at random points while changes flow, twelve
 * times, and started again each time: afterwards the changes table holds exactly one row per change
 * sent — none lost, none duplicated.
 */
@ExtendWith({KafkaExtension.class, RegistryExtension.class})
class MaterializerCrashIT {
  private static final Logger LOG = LoggerFactory.getLogger(MaterializerCrashIT.class);
  private static final int PARTITIONS = 3;
  private static final int KILLS = 12;

  @TempDir Path dir;
  private KafkaBroker kafka;
  private RegistryServer registry;
  private TestCatalog catalog;
  private ChildProcess app;

  @BeforeEach
  void setUp(KafkaBroker kafka, RegistryServer registry) {
    this.kafka = kafka;
    this.registry = registry;
    this.catalog = new TestCatalog(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (app != null) {
      app.stop();
    }
    catalog.close();
  }

  private List<String> command(String topic) {
    Map<String, String> config = MaterializerIT.config(kafka, registry, topic, catalog.config, dir);
    config.put(MaterializerConfig.APPLICATION_ID, "crash-it-" + topic);
    config.put(MaterializerConfig.INSTANCE_ID, "crash-it-instance");
    config.put(MaterializerConfig.COMMIT_TIMEOUT_MS, "20000");
    config.put(MaterializerConfig.COMMIT_INTERVAL_MS, "1000");
    config.put(
        MaterializerConfig.CHECKPOINT_INTERVAL_MS,
        String.valueOf(Duration.ofMinutes(10).toMillis()));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MaterializerMain.class.getName());
    config.forEach((k, v) -> command.add(k + "=" + v));
    return command;
  }

  private long committedRows() {
    Table changes = catalog.reload().get(RowSink.TableKind.CHANGES);
    return CommitLog.committedOffsets(changes).values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void killedTwelveTimesWhileChangesFlowTheTableHoldsEveryChangeExactlyOnce() throws Exception {
    String topic = "crash-" + UUID.randomUUID();
    try (var admin = kafka.admin()) {
      ChangeLogWriter.createTopic(admin, topic, PARTITIONS);
    }
    ChangeRecords records =
        new ChangeRecords("crash-cluster", new SchemaRegistryClient(registry.url()));
    GeneratedHistory history =
        new GeneratedHistory(records, 4711, 3000, 5, Instant.now().minus(2, ChronoUnit.DAYS));
    catalog.tables(); // created before the first start, as the app would
    app =
        ChildProcess.start(
            "materializer", command(topic), dir.resolve("materializer.log"), Duration.ofSeconds(5));

    // The writer never runs more than one twelfth of the history ahead of the kills: however slow
    // the restarts are, changes are still flowing when the last kill comes.
    AtomicInteger killsDone = new AtomicInteger();
    int perSegment = (history.events.size() + KILLS) / (KILLS + 1);
    CompletableFuture<Void> writing =
        CompletableFuture.runAsync(
            () -> {
              try (ChangeLogWriter writer =
                  new ChangeLogWriter(kafka.bootstrapServers(), topic, PARTITIONS, records)) {
                List<ChangeEnvelope> batch = new ArrayList<>();
                int written = 0;
                for (GeneratedHistory.Event event : history.events) {
                  int segment = written++ / perSegment;
                  await()
                      .atMost(Duration.ofMinutes(10))
                      .pollInterval(Duration.ofMillis(50))
                      .until(() -> killsDone.get() >= segment);
                  batch.add(event.envelope());
                  if (batch.size() == 12) {
                    writer.write(batch, batch.get(batch.size() - 1).getObservedAt());
                    batch.clear();
                    pace(Duration.ofMillis(150));
                  }
                }
                writer.write(batch, history.end());
              }
            });

    Random random = new Random(99);
    for (int kill = 1; kill <= KILLS; kill++) {
      long before = committedRows();
      // let it make real progress first, then kill it at a random point after that
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !app.isAlive() || writing.isDone() || committedRows() >= before + 30);
      app.checkAlive();
      pace(Duration.ofMillis(random.nextInt(1500)));
      LOG.info(
          "kill {} of {} (pid {}): positions {}, writer done: {}",
          kill,
          KILLS,
          app.pid(),
          CommitLog.committedOffsets(catalog.reload().get(RowSink.TableKind.CHANGES)),
          writing.isDone());
      ProcessHandle.of(app.pid()).ifPresent(ProcessHandle::destroyForcibly);
      await().atMost(Duration.ofSeconds(10)).until(() -> !app.isAlive());
      killsDone.incrementAndGet();
      app.start();
    }
    writing.join();
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              app.checkAlive();
              Map<Integer, java.time.Instant> marks =
                  CommitLog.watermarks(catalog.reload().get(RowSink.TableKind.CHANGES))
                      .getOrDefault("crash-cluster", Map.of());
              assertThat(marks).hasSize(PARTITIONS);
              assertThat(marks.values())
                  .allSatisfy(m -> assertThat(m).isAfterOrEqualTo(history.end()));
            });

    Table changes = catalog.reload().get(RowSink.TableKind.CHANGES);
    Map<String, List<String>> rowsPerChange = new HashMap<>();
    Set<String> positions = new HashSet<>();
    long rows = 0;
    try (CloseableIterable<Record> all = IcebergGenerics.read(changes).build()) {
      for (Record r : all) {
        rows++;
        String position =
            r.getField(ChangesTable.KAFKA_PARTITION) + "/" + r.getField(ChangesTable.KAFKA_OFFSET);
        positions.add(position);
        String change =
            r.getField(ChangesTable.NAMESPACE)
                + "/"
                + r.getField(ChangesTable.NAME)
                + "@"
                + r.getField(ChangesTable.RESOURCE_VERSION);
        rowsPerChange.computeIfAbsent(change, c -> new ArrayList<>()).add(position);
      }
    }
    Set<String> expected = new HashSet<>();
    for (GeneratedHistory.Event e : history.events) {
      if (!e.repeat()) {
        expected.add(
            e.envelope().getNamespace()
                + "/"
                + e.envelope().getName()
                + "@"
                + e.envelope().getResourceVersion());
      }
    }
    assertThat(rowsPerChange.keySet()).as("no change lost").isEqualTo(expected);
    Map<String, List<String>> duplicated = new HashMap<>(rowsPerChange);
    duplicated.values().removeIf(at -> at.size() == 1);
    assertThat(duplicated)
        .as("no change duplicated (change -> partition/offset of its rows)")
        .isEmpty();
    assertThat(rows).isEqualTo(history.distinctChanges());
    assertThat(positions).hasSize((int) rows);
  }

  /** Paces the writer or a kill: a deliberate delay, not a wait for a condition. */
  private static void pace(Duration delay) {
    await().pollDelay(delay).atMost(delay.plusSeconds(5)).until(() -> true);
  }
}
