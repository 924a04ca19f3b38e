package io.hindsight.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hindsight.history.HistoryReader;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;
import io.hindsight.history.StoredObject;
import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.history.tables.Catalogs;
import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.serde.SchemaRegistryClient;
import io.hindsight.testing.iceberg.IcebergRestServer;
import io.hindsight.testing.kafka.KafkaBroker;
import io.hindsight.testing.kafka.KafkaExtension;
import io.hindsight.testing.registry.RegistryExtension;
import io.hindsight.testing.registry.RegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The same pipeline on a REST catalog: Iceberg's own REST server as a child process. */
@ExtendWith({KafkaExtension.class, RegistryExtension.class})
class RestCatalogIT {
  @TempDir Path dir;

  @Test
  void theStreamsAppCommitsThroughARestCatalogAndTheReaderAnswersFromIt(
      KafkaBroker kafka, RegistryServer registry) throws Exception {
    String topic = "rest-" + UUID.randomUUID();
    try (var admin = kafka.admin()) {
      ChangeLogWriter.createTopic(admin, topic, 2);
    }
    ChangeRecords records =
        new ChangeRecords("rest-cluster", new SchemaRegistryClient(registry.url()));
    Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    try (IcebergRestServer rest = IcebergRestServer.start(dir.resolve("rest"))) {
      CatalogConfig catalog =
          new CatalogConfig(Map.of(CatalogConfig.TYPE, "rest", CatalogConfig.URI, rest.uri()));
      Map<String, String> config = MaterializerIT.config(kafka, registry, topic, catalog, dir);
      config.put(CatalogConfig.TYPE, "rest");
      config.remove(CatalogConfig.WAREHOUSE);
      try (Materializer materializer = Materializer.start(new MaterializerConfig(config));
          ChangeLogWriter writer =
              new ChangeLogWriter(kafka.bootstrapServers(), topic, 2, records)) {
        List<ChangeEnvelope> changes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          changes.add(
              records.envelope(
                  EventType.ADDED,
                  "ConfigMap",
                  "ns-" + (i % 2),
                  "cm-" + i,
                  "u" + i,
                  String.valueOf(i + 1),
                  "h" + i,
                  t0.plusSeconds(i)));
        }
        changes.add(
            records.envelope(
                EventType.DELETED,
                "ConfigMap",
                "ns-0",
                "cm-0",
                "u0",
                "99",
                "h0",
                t0.plusSeconds(30)));
        writer.write(changes, t0.plusSeconds(60));

        Catalog reading = Catalogs.open(catalog);
        await()
            .atMost(Duration.ofSeconds(90))
            .untilAsserted(
                () ->
                    assertThat(
                            CommitLog.watermarks(reading.loadTable(ChangesTable.ID))
                                .getOrDefault("rest-cluster", Map.of()))
                        .hasSize(2)
                        .allSatisfy((p, at) -> assertThat(at).isEqualTo(t0.plusSeconds(60))));
        try (HistoryReader reader = new HistoryReader(reading)) {
          State before = reader.stateAt(StateQuery.namespace("ns-0", t0.plusSeconds(25)));
          State after = reader.stateAt(StateQuery.namespace("ns-0", t0.plusSeconds(60)));
          assertThat(before.objects()).extracting(o -> o.id().name()).hasSize(10).contains("cm-0");
          assertThat(after.objects())
              .extracting(o -> o.id().name())
              .hasSize(9)
              .doesNotContain("cm-0");
          assertThat(after.objects()).allSatisfy(o -> assertThat(o.json()).contains(o.id().name()));
          assertThat(after.objects()).extracting(StoredObject::uid).doesNotHaveDuplicates();
        }
        assertThat(materializer.failure()).isNotDone();
      }
    }
  }
}
