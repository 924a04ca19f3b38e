package io.hindsight.testhistories;

import java.time.Instant;

/**
 * One scripted change, as the script states it — the source of every expected answer, kept apart
 * from the object JSON the change produces.
 *
 * @param action what happened: CREATE, UPDATE (spec or metadata, by a user or tool), STATUS (a
 *     controller recording status), DELETE
 * @param manager the field manager that wrote the change (as the API server records it in {@code
 *     metadata.managedFields}); null for a delete, which the object does not record
 * @param image the first container's image after the change, where the script sets or creates one
 *     (Deployments)
 * @param available for workloads: whether the script means the workload to be fully available after
 *     this change (rolled out, every replica available or ready); null for other kinds
 */
public record Step(
    Instant at,
    Action action,
    String namespace,
    String apiVersion,
    String kind,
    String name,
    String uid,
    String resourceVersion,
    String manager,
    String operation,
    String image,
    Boolean available,
    String note) {

  /** What a step does. */
  public enum Action {
    CREATE,
    UPDATE,
    STATUS,
    DELETE
  }

  /** The event type the watcher records for this step. */
  public String eventType() {
    return switch (action) {
      case CREATE -> "ADDED";
      case DELETE -> "DELETED";
      default -> "MODIFIED";
    };
  }

  public String apiGroup() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** {@code group/Kind/name} within the namespace. */
  public String objectKey() {
    return apiGroup() + "/" + kind + "/" + name;
  }

  public boolean deleted() {
    return action == Action.DELETE;
  }
}
