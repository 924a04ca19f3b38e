package io.hindsight.history;

/**
 * The identity of one Kubernetes object in history: cluster, API group (empty for core), kind,
 * namespace (empty for cluster-scoped) and name. Not the version: an object keeps its identity when
 * served under another version.
 */
public record ObjectId(
    String cluster, String apiGroup, String kind, String namespace, String name) {
  public ObjectId {
    if (cluster == null || apiGroup == null || kind == null || namespace == null || name == null) {
      throw new IllegalArgumentException("no part of an ObjectId may be null (use \"\")");
    }
  }

  /** {@code group/Kind/namespace/name}, {@code Kind/namespace/name} for the core group. */
  @Override
  public String toString() {
    String scope = namespace.isEmpty() ? name : namespace + "/" + name;
    return (apiGroup.isEmpty() ? kind : kind + "." + apiGroup) + " " + scope;
  }
}
