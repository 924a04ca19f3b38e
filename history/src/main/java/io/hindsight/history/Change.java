package io.hindsight.history;

/**
 * One recorded change of one object: what happened ({@code eventType} ADDED, MODIFIED or DELETED),
 * how the watcher learnt of it ({@code origin} WATCH, RELIST or RESYNC), and the state it left the
 * object in (for DELETED the final state; {@code deletedFinalStateUnknown} when a relist found the
 * object gone and only its last known state is recorded).
 */
public record Change(
    StoredObject object,
    String eventType,
    String origin,
    boolean deletedFinalStateUnknown,
    String watcherRunId) {

  public boolean deleted() {
    return "DELETED".equals(eventType);
  }
}
