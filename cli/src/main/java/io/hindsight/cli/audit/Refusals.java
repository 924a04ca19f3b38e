package io.hindsight.cli.audit;

import io.hindsight.history.HistoryException;

/**
 * Exit codes of the commands that read the history: one per reason the history refuses a question
 * ({@link HistoryException.Reason}), after the program's general ones (0 done, 1 failed, 2 bad
 * usage or configuration).
 */
public final class Refusals {
  private Refusals() {}

  public static int exitCode(HistoryException.Reason reason) {
    return switch (reason) {
      case IN_FUTURE -> 10;
      case NOT_YET_COVERED -> 11;
      case BEFORE_HISTORY -> 12;
      case IN_GAP -> 13;
      case UNKNOWN_NAMESPACE -> 14;
      case UNKNOWN_CLUSTER -> 15;
      case UNREADABLE -> 16;
    };
  }
}
