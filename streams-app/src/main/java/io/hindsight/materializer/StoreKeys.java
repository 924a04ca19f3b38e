package io.hindsight.materializer;

import io.hindsight.schemas.avro.ObjectKey;

/**
 * Keys of the state stores: the parts of an object's identity joined by NUL (which no Kubernetes
 * name contains), namespace first, so the objects of one namespace form one range of the sorted
 * store and a checkpoint is a prefix scan.
 */
final class StoreKeys {
  static final char SEPARATOR = '\0';

  private StoreKeys() {}

  /** cluster NUL namespace NUL group NUL kind NUL name */
  static String object(ObjectKey key) {
    return namespacePrefix(key.getCluster(), key.getNamespace())
        + key.getApiGroup()
        + SEPARATOR
        + key.getKind()
        + SEPARATOR
        + key.getName();
  }

  /** cluster NUL namespace NUL: the prefix of every object key of the namespace. */
  static String namespacePrefix(String cluster, String namespace) {
    return cluster + SEPARATOR + namespace + SEPARATOR;
  }

  /** cluster NUL namespace */
  static String namespace(String cluster, String namespace) {
    return cluster + SEPARATOR + namespace;
  }

  /** [cluster, namespace] of a namespace key. */
  static String[] splitNamespace(String key) {
    int at = key.indexOf(SEPARATOR);
    return new String[] {key.substring(0, at), key.substring(at + 1)};
  }
}
