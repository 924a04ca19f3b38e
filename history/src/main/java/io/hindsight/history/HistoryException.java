package io.hindsight.history;

/**
 * The history cannot answer a question as asked. The message says why and what to do; {@link
 * #reason()} lets programs map it to an exit code.
 */
public final class HistoryException extends RuntimeException {
  /** Why a question was refused. */
  public enum Reason {
    /** T is later than now. */
    IN_FUTURE,
    /** T is later than what every part of the pipeline has recorded so far. */
    NOT_YET_COVERED,
    /** T is earlier than the first recorded change. */
    BEFORE_HISTORY,
    /** T lies inside a recorded watcher gap: history there is not exact. */
    IN_GAP,
    /** The namespace never appears in the recorded history of the cluster. */
    UNKNOWN_NAMESPACE,
    /** No such cluster in the history, or several and none was named. */
    UNKNOWN_CLUSTER,
    /** The tables cannot be read (catalog away, files missing). */
    UNREADABLE
  }

  private final Reason reason;

  public HistoryException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public HistoryException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
