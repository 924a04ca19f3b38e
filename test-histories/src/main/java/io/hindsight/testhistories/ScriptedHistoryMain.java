package io.hindsight.testhistories;

import io.hindsight.history.HistoryReader;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;
import io.hindsight.history.StoredObject;
import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.history.tables.Catalogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/**
 * Writes {@link ScriptedHistory} into a SQLite catalog under a folder, with what SQL tests compare
 * their results to, for test modules that cannot hold unshaded Iceberg on their classpath (Spark's
 * runtime shades its own; Trino brings another):
 *
 * <pre>
 * DIR/catalog.db, DIR/warehouse/      the history (catalog name hindsight, jdbc.schema-version=V1)
 * DIR/expected/NAME.tsv               answers computed from the script alone ({@link Expected})
 * DIR/reader/state-NS-INSTANT.tsv     HistoryReader.stateAt of NS at INSTANT (kind, name, uid, rv)
 * </pre>
 *
 * Rows are tab-separated strings, instants as {@link Instant#toString()}. Usage: {@code
 * ScriptedHistoryMain DIR}.
 */
public final class ScriptedHistoryMain {
  /** The namespaces and instants the state-at queries are checked at. */
  public static final Map<String, List<Instant>> STATE_INSTANTS =
      Map.of(
          ScriptedHistory.BOUTIQUE,
          List.of(
              ScriptedHistory.at("08:03:00"),
              ScriptedHistory.at("09:00:00"),
              ScriptedHistory.at("09:11:00"),
              ScriptedHistory.at("10:10:00"),
              ScriptedHistory.at("10:16:00"),
              ScriptedHistory.at("11:35:00"),
              ScriptedHistory.at("12:00:00")),
          ScriptedHistory.MYSQL,
          List.of(ScriptedHistory.at("08:33:30"), ScriptedHistory.at("10:01:30")),
          ScriptedHistory.KUBE_SYSTEM,
          List.of(ScriptedHistory.at("10:30:00")),
          ScriptedHistory.DEFAULT,
          List.of(ScriptedHistory.at("09:55:00"), ScriptedHistory.at("10:55:00")),
          "",
          List.of(ScriptedHistory.at("10:10:00"), ScriptedHistory.at("10:30:00")));

  private ScriptedHistoryMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ScriptedHistoryMain DIR");
      System.exit(2);
    }
    write(Path.of(args[0]));
  }

  /** The catalog configuration of a history written under {@code dir}. */
  public static CatalogConfig catalogConfig(Path dir) {
    return new CatalogConfig(
        Map.of(
            CatalogConfig.URI, "jdbc:sqlite:" + dir.resolve("catalog.db"),
            CatalogConfig.WAREHOUSE, "file:" + dir.resolve("warehouse")));
  }

  static void write(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("expected"));
    Files.createDirectories(dir.resolve("reader"));
    ScriptedHistory history = ScriptedHistory.build();
    CatalogConfig config = catalogConfig(dir);
    Catalog catalog = Catalogs.open(config);
    try {
      history.writeTo(catalog);
      try (HistoryReader reader = new HistoryReader(catalog)) {
        for (Map.Entry<String, List<Instant>> entry : STATE_INSTANTS.entrySet()) {
          for (Instant at : entry.getValue()) {
            State state = reader.stateAt(StateQuery.namespace(entry.getKey(), at));
            List<List<String>> rows = new ArrayList<>();
            for (StoredObject o : state.objects()) {
              rows.add(List.of(o.id().kind(), o.id().name(), o.uid(), o.resourceVersion()));
            }
            rows.sort(
                (a, b) ->
                    (a.get(0) + "\u0000" + a.get(1)).compareTo(b.get(0) + "\u0000" + b.get(1)));
            tsv(dir.resolve("reader").resolve(stateFile(entry.getKey(), at)), rows);
          }
        }
      }
    } finally {
      if (catalog instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // nothing to do
        }
      }
    }
    Expected expected = new Expected(history.steps());
    Path out = dir.resolve("expected");
    tsv(
        out.resolve("who-changed.tsv"),
        expected.whoChanged(ScriptedHistory.BOUTIQUE, "Deployment", "frontend"));
    tsv(
        out.resolve("image-history.tsv"),
        expected.imageHistory(ScriptedHistory.BOUTIQUE, "frontend", "server"));
    tsv(
        out.resolve("deleted-in-window.tsv"),
        expected.deleted(
            ScriptedHistory.BOUTIQUE,
            ScriptedHistory.at("10:00:00"),
            ScriptedHistory.at("11:00:00")));
    tsv(out.resolve("changes-per-kind-per-hour.tsv"), expected.changesPerKindPerHour());
    for (Map.Entry<String, List<Instant>> entry : STATE_INSTANTS.entrySet()) {
      for (Instant at : entry.getValue()) {
        tsv(out.resolve(stateFile(entry.getKey(), at)), expected.stateRows(entry.getKey(), at));
      }
    }
  }

  /** {@code state-NS-INSTANT.tsv}; the cluster-scoped objects' "" namespace is {@code _cluster}. */
  public static String stateFile(String namespace, Instant at) {
    return "state-"
        + (namespace.isEmpty() ? "_cluster" : namespace)
        + "-"
        + at.toString().replace(':', '-')
        + ".tsv";
  }

  private static void tsv(Path file, List<List<String>> rows) throws IOException {
    StringBuilder text = new StringBuilder();
    for (List<String> row : rows) {
      text.append(String.join("\t", row)).append('\n');
    }
    Files.writeString(file, text);
  }
}
