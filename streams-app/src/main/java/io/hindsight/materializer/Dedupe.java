package io.hindsight.materializer;

import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;

/**
 * Whether a change adds to history, given the latest accepted change of the same object. The rule
 * is the one the reader relies on too: per object, the newest accepted change is its state.
 */
final class Dedupe {
  /** What to do with a change. */
  enum Verdict {
    /** A real change: record it. */
    NEW,
    /** It repeats the latest state (same uid and resourceVersion, or same content hash). */
    DUPLICATE,
    /**
     * It cannot follow the latest state (an event of a deleted object, a delete of another uid).
     */
    STALE
  }

  private Dedupe() {}

  static Verdict judge(StoredState previous, ChangeEnvelope change) {
    boolean delete = change.getEventType() == EventType.DELETED;
    if (previous == null) {
      return Verdict.NEW;
    }
    boolean sameUid = previous.uid().equals(change.getUid());
    if (previous.deleted()) {
      if (!sameUid) {
        return Verdict.NEW; // a new object under the same name, or the delete of one never seen
      }
      return delete ? Verdict.DUPLICATE : Verdict.STALE;
    }
    if (delete) {
      return sameUid ? Verdict.NEW : Verdict.STALE;
    }
    if (sameUid
        && (previous.resourceVersion().equals(change.getResourceVersion())
            || previous.hash().equals(change.getObjectHash()))) {
      return Verdict.DUPLICATE;
    }
    return Verdict.NEW;
  }
}
