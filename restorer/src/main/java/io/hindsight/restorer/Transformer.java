package io.hindsight.restorer;

import java.util.List;

/**
 * The transform stage, in this order: namespace mapping (with reference rewriting), storage class
 * mapping, image registry mapping, then the user's resource modifiers — so modifiers see, and may
 * override, everything before them.
 */
final class Transformer {
  private final NamespaceMapper namespaces;
  private final StorageClassMapper storageClasses;
  private final ImageRegistryMapper registries;
  private final ResourceModifiers modifiers;
  private final ResourceCatalog catalog;

  Transformer(
      NamespaceMapper namespaces,
      StorageClassMapper storageClasses,
      ImageRegistryMapper registries,
      ResourceModifiers modifiers,
      ResourceCatalog catalog) {
    this.namespaces = namespaces;
    this.storageClasses = storageClasses;
    this.registries = registries;
    this.modifiers = modifiers;
    this.catalog = catalog;
  }

  /**
   * Transforms {@code item} in place.
   *
   * @return the indexes of the modifier rules applied
   * @throws IllegalArgumentException when a modifier cannot be applied to it
   */
  List<Integer> transform(RestoreObject item) {
    namespaces.map(item);
    storageClasses.map(item);
    registries.map(item);
    return modifiers.apply(item, catalog.groupResource(item.kindRef()), item.source().namespace());
  }
}
