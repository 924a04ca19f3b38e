package io.hindsight.restorer;

/**
 * A restore that cannot start as asked; nothing was written. {@link #problem()} lets programs map
 * it to an exit code; the message is one line that names the option and the fix.
 */
public final class RestoreException extends RuntimeException {
  /** Why the restore was refused. */
  public enum Problem {
    /** An option's value is wrong (the message names it). */
    BAD_REQUEST,
    /** TIME lies in the future. */
    TIME_IN_FUTURE,
    /** The modifiers file cannot be read or used. */
    MODIFIERS,
    /** The target cluster does not answer. */
    UNREACHABLE_CLUSTER,
    /** A kind named in the selection is neither served by the target nor in the history. */
    UNKNOWN_KIND
  }

  private final Problem problem;

  public RestoreException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  public RestoreException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
