package io.hindsight.history;

import java.time.Instant;
import java.util.Optional;

/**
 * "What was namespace N of cluster C at instant T", with a selection. {@code namespace} empty means
 * the whole cluster (every namespace and the cluster-scoped objects); {@code ""} means the
 * cluster-scoped objects only. {@code cluster} null means the only cluster in the history. {@code
 * allowGaps} answers even when T lies inside a recorded watcher gap (the answer is then the best
 * known, not exact).
 */
public record StateQuery(
    String cluster,
    Optional<String> namespace,
    Instant at,
    Selection selection,
    boolean allowGaps) {

  public StateQuery {
    namespace = namespace == null ? Optional.empty() : namespace;
    selection = selection == null ? Selection.EVERYTHING : selection;
    if (at == null) {
      throw new IllegalArgumentException("a state query needs an instant");
    }
  }

  /** Namespace {@code namespace} of the only cluster at {@code at}, everything selected. */
  public static StateQuery namespace(String namespace, Instant at) {
    return new StateQuery(null, Optional.of(namespace), at, Selection.EVERYTHING, false);
  }
}
