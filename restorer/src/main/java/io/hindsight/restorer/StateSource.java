package io.hindsight.restorer;

import io.hindsight.history.HistoryException;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;

/**
 * Where the restorer reads "the state at T": the seam between the restore pipeline and the history
 * reader (Iceberg in production). The restorer asks twice per restore: once for the namespace, once
 * for the cluster-scoped objects ({@code namespace = Optional.of("")}) when cluster resources are
 * included.
 */
public interface StateSource {
  /**
   * The state {@code query} asks for.
   *
   * @throws HistoryException when the history cannot answer as asked (T not covered, in a gap,
   *     unknown namespace, tables unreadable); its reason becomes the restore's exit code
   */
  State stateAt(StateQuery query);
}
