package io.hindsight.schemas;

/** Names and sizing of the topics that make up the wire contract. */
public final class Topics {
  /** Every change, heartbeat and gap, keyed by {@code ObjectKey}, partitioned by namespace. */
  public static final String CHANGES = "hindsight.changes";

  /**
   * Compacted companion of {@link #CHANGES}, written by the watcher in the same transaction: the
   * last change it published per object, and its progress. It is how a restarted watcher knows what
   * it already published.
   */
  public static final String WATCHER_STATE = "hindsight.watcher-state";

  /** etcd's object size limit plus room for the envelope: every producer and topic uses it. */
  public static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

  /** API group used in keys of records that are not Kubernetes objects (heartbeats, gaps). */
  public static final String HINDSIGHT_GROUP = "hindsight.io";

  private Topics() {}
}
