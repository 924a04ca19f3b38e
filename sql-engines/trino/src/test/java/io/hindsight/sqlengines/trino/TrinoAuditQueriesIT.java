package io.hindsight.sqlengines.trino;

import static org.assertj.core.api.Assertions.assertThat;

import io.hindsight.sqlengines.AuditQueries;
import io.hindsight.sqlengines.HistoryFixture;
import io.trino.Session;
import io.trino.plugin.iceberg.IcebergPlugin;
import io.trino.spi.type.TimeZoneKey;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import io.trino.testing.TestingSession;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trino 483 in-process (coordinator only) with its Iceberg connector on the JDBC/SQLite catalog of
 * the scripted history: every Trino query of docs/sql-audit.md, as the doc prints it, gives what
 * the script implies; the state at T equals HistoryReader.stateAt.
 */
class TrinoAuditQueriesIT {
  @TempDir static Path dir;
  private static HistoryFixture history;
  private static QueryRunner trino;
  private static final AuditQueries QUERIES = AuditQueries.fromDoc();

  @BeforeAll
  static void start() throws Exception {
    history = HistoryFixture.generate(dir.resolve("history"));
    System.out.printf("history generator (child JVM): %d ms%n", history.millis());
    long started = System.nanoTime();
    Session session =
        TestingSession.testSessionBuilder()
            .setCatalog("hindsight")
            .setSchema("hindsight")
            .setTimeZoneKey(TimeZoneKey.UTC_KEY)
            .build();
    DistributedQueryRunner runner =
        DistributedQueryRunner.builder(session).setWorkerCount(0).build();
    trino = runner;
    runner.installPlugin(new IcebergPlugin());
    runner.createCatalog(
        "hindsight",
        "iceberg",
        Map.of(
            "iceberg.catalog.type", "jdbc",
            "iceberg.jdbc-catalog.catalog-name", "hindsight",
            "iceberg.jdbc-catalog.driver-class", "org.sqlite.JDBC",
            "iceberg.jdbc-catalog.connection-url", history.catalogUri(),
            "iceberg.jdbc-catalog.default-warehouse-dir", history.warehouse(),
            "iceberg.jdbc-catalog.schema-version", "V1",
            "fs.local.enabled", "true",
            "local.location", "/"));
    System.out.printf("trino: %d ms%n", (System.nanoTime() - started) / 1_000_000);
  }

  @AfterAll
  static void stop() throws Exception {
    if (trino != null) {
      trino.close();
    }
  }

  private static List<List<String>> run(String sql) {
    List<List<String>> out = new ArrayList<>();
    for (MaterializedRow row : trino.execute(sql).getMaterializedRows()) {
      List<String> values = new ArrayList<>();
      for (Object v : row.getFields()) {
        values.add(
            v == null
                ? null
                : v instanceof ZonedDateTime z ? z.toInstant().toString() : v.toString());
      }
      out.add(values);
    }
    return out;
  }

  private static String query(String name) {
    return QUERIES.query(name, "trino");
  }

  @Test
  void theDocHasEveryQueryForTrino() {
    assertThat(QUERIES.names("trino")).isEqualTo(QUERIES.names("spark"));
  }

  @Test
  void whoChangedTheFrontendAndWhen() {
    assertThat(run(query("who-changed"))).isEqualTo(history.expected("who-changed")).hasSize(12);
  }

  @Test
  void imageHistoryOfTheFrontend() {
    assertThat(run(query("image-history"))).isEqualTo(history.expected("image-history")).hasSize(4);
  }

  @Test
  void deletedObjectsInAWindow() {
    assertThat(run(query("deleted-in-window")))
        .isEqualTo(history.expected("deleted-in-window"))
        .hasSize(3);
  }

  @Test
  void stateOfANamespaceAtAnInstantEqualsTheReaderAndTheScript() {
    String sql = query("state-at");
    int checked = 0;
    for (Map.Entry<String, List<Instant>> entry : history.stateInstants().entrySet()) {
      for (Instant at : entry.getValue()) {
        List<List<String>> rows = run(AuditQueries.stateAt(sql, entry.getKey(), at));
        assertThat(rows)
            .as("%s at %s vs HistoryReader.stateAt", entry.getKey(), at)
            .isEqualTo(history.readerState(entry.getKey(), at));
        assertThat(rows)
            .as("%s at %s vs the script", entry.getKey(), at)
            .isEqualTo(history.expectedState(entry.getKey(), at));
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(14);
  }

  @Test
  void changesPerKindPerHour() {
    assertThat(run(query("changes-per-kind-per-hour")))
        .isEqualTo(history.expected("changes-per-kind-per-hour"));
  }
}
