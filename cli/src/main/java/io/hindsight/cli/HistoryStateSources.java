package io.hindsight.cli;

import io.hindsight.history.HistoryReader;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;
import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.restorer.StateSource;

/**
 * Where {@code hindsight restore} gets "the state at T": the history reader over the Iceberg tables
 * of the configured catalog. The command closes it after the restore.
 */
final class HistoryStateSources {
  private HistoryStateSources() {}

  /** The state source over the history tables of {@code catalog}. */
  static StateSource open(CatalogConfig catalog) {
    return new ReaderSource(HistoryReader.open(catalog));
  }

  /** The reader as the restorer's state source. */
  private record ReaderSource(HistoryReader reader) implements StateSource, AutoCloseable {
    @Override
    public State stateAt(StateQuery query) {
      return reader.stateAt(query);
    }

    @Override
    public void close() {
      reader.close();
    }
  }
}
