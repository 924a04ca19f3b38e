package io.hindsight.cli;

import io.hindsight.history.HistoryException;
import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.restorer.StateSource;

/**
 * Where {@code hindsight restore} gets "the state at T": the history reader over the Iceberg tables
 * of the configured catalog.
 *
 * <p>THE SEAM TO FILL: the Iceberg reader of the {@code history} module is not wired in yet. Until
 * it is, {@link #open} refuses with {@link HistoryException.Reason#UNREADABLE} (exit code 12) — it
 * never makes up a state. Return the reader here (if it is {@link AutoCloseable}, the command
 * closes it after the restore).
 */
final class HistoryStateSources {
  private HistoryStateSources() {}

  /** The state source over the history tables of {@code catalog}. */
  static StateSource open(CatalogConfig catalog) {
    // TODO(history reader): return the Iceberg reader over Catalogs.open(catalog) here
    throw new HistoryException(
        HistoryException.Reason.UNREADABLE,
        "the history reader is not wired into this build yet (catalog "
            + catalog.uri()
            + "): restore needs the Iceberg reader of the history module");
  }
}
