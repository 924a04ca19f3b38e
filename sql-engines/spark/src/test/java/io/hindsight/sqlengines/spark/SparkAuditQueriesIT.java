package io.hindsight.sqlengines.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.hindsight.sqlengines.AuditQueries;
import io.hindsight.sqlengines.HistoryFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark 4.1.1 with Iceberg's Spark runtime, on the JDBC/SQLite catalog of the scripted history
 * (written by test-histories in a child JVM): every Spark query of docs/sql-audit.md, exactly as
 * the doc prints it, gives what the script implies; the state at T equals HistoryReader.stateAt.
 */
class SparkAuditQueriesIT {
  @TempDir static Path dir;
  private static HistoryFixture history;
  private static SparkSession spark;
  private static final AuditQueries QUERIES = AuditQueries.fromDoc();

  @BeforeAll
  static void start() {
    history = HistoryFixture.generate(dir.resolve("history"));
    System.out.printf("history generator (child JVM): %d ms%n", history.millis());
    long started = System.nanoTime();
    spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("hindsight-sql-audit")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.datetime.java8API.enabled", "true")
            .config("spark.sql.warehouse.dir", dir.resolve("spark-warehouse").toString())
            .config("spark.sql.catalog.hindsight", "org.apache.iceberg.spark.SparkCatalog")
            .config("spark.sql.catalog.hindsight.type", "jdbc")
            .config("spark.sql.catalog.hindsight.uri", history.catalogUri())
            .config("spark.sql.catalog.hindsight.warehouse", history.warehouse())
            .config("spark.sql.catalog.hindsight.jdbc.schema-version", "V1")
            .getOrCreate();
    System.out.printf("spark session: %d ms%n", (System.nanoTime() - started) / 1_000_000);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static List<List<String>> run(String sql) {
    List<List<String>> out = new ArrayList<>();
    for (Row row : spark.sql(sql).collectAsList()) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        Object v = row.get(i);
        values.add(v == null ? null : v.toString());
      }
      out.add(values);
    }
    return out;
  }

  private static String query(String name) {
    return QUERIES.query(name, "spark");
  }

  @Test
  void theDocHasEveryQueryForSpark() {
    assertThat(QUERIES.names("spark"))
        .containsExactlyInAnyOrder(
            "who-changed",
            "image-history",
            "deleted-in-window",
            "state-at",
            "changes-per-kind-per-hour");
  }

  @Test
  void whoChangedTheFrontendAndWhen() {
    List<List<String>> rows = run(query("who-changed"));
    assertThat(rows).isEqualTo(history.expected("who-changed"));
    assertThat(rows).hasSize(12);
    assertThat(rows.get(3))
        .containsExactly("2026-03-02T09:10:00Z", "MODIFIED", "kubectl-set", "Update");
  }

  @Test
  void imageHistoryOfTheFrontend() {
    String image = "gcr.io/google-samples/microservices-demo/frontend:";
    assertThat(run(query("image-history")))
        .isEqualTo(history.expected("image-history"))
        .containsExactly(
            List.of("2026-03-02T08:00:30Z", "ADDED", "server", image + "v0.7.0"),
            List.of("2026-03-02T09:10:00Z", "MODIFIED", "server", image + "v0.8.0"),
            List.of("2026-03-02T11:10:00Z", "MODIFIED", "server", image + "v0.9.0"),
            List.of("2026-03-02T11:30:00Z", "MODIFIED", "server", image + "v0.8.0"));
  }

  @Test
  void deletedObjectsInAWindow() {
    List<List<String>> rows = run(query("deleted-in-window"));
    assertThat(rows).isEqualTo(history.expected("deleted-in-window"));
    assertThat(rows)
        .extracting(r -> r.get(0) + " " + r.get(1) + "/" + r.get(2))
        .containsExactly(
            "2026-03-02T10:05:00Z Deployment/recommendationservice",
            "2026-03-02T10:05:05Z Service/recommendationservice",
            "2026-03-02T10:40:00Z Deployment/loadgenerator");
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
    List<List<String>> rows = run(query("changes-per-kind-per-hour"));
    assertThat(rows).isEqualTo(history.expected("changes-per-kind-per-hour"));
    assertThat(rows).contains(List.of("2026-03-02T08:00:00Z", "Deployment", "39"));
  }
}
