package io.hindsight.restorer;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;

/**
 * One resource type: its kind in its group, plural, scope, the versions that serve it (preferred
 * first) and short names.
 */
record ServedResource(
    KindRef kind,
    String plural,
    boolean namespaced,
    List<String> versions,
    List<String> shortNames,
    List<String> verbs) {

  ServedResource {
    versions = List.copyOf(versions);
    shortNames = List.copyOf(shortNames);
    verbs = List.copyOf(verbs);
  }

  /** {@code plural} for core, {@code plural.group} otherwise (Velero's groupResource). */
  String groupResource() {
    return kind.group().isEmpty() ? plural : plural + "." + kind.group();
  }

  boolean serves(String apiVersion) {
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    return KindRef.groupOf(apiVersion).equals(kind.group()) && versions.contains(version);
  }

  boolean listable() {
    return verbs.isEmpty() || (verbs.contains("list") && verbs.contains("delete"));
  }

  ResourceDefinitionContext context(String version) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(kind.group())
        .withVersion(version)
        .withKind(kind.kind())
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }
}
