package io.hindsight.watcher;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which resource types and namespaces are recorded. Types are named as kubectl names them: {@code
 * plural}, {@code plural.group}, {@code Kind} or {@code Kind.group}, case-insensitive; a bare name
 * matches that name in every group.
 */
record ResourceFilter(
    Set<String> kindsInclude,
    Set<String> kindsExclude,
    Set<String> namespacesInclude,
    Set<String> namespacesExclude) {

  static ResourceFilter of(WatcherConfig config) {
    return new ResourceFilter(
        lower(config.kindsInclude()),
        lower(config.kindsExclude()),
        Set.copyOf(config.namespacesInclude()),
        Set.copyOf(config.namespacesExclude()));
  }

  private static Set<String> lower(List<String> names) {
    return names.stream()
        .map(n -> n.trim().toLowerCase(Locale.ROOT))
        .filter(n -> !n.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  boolean records(ResourceType type) {
    if (matches(kindsExclude, type)) {
      return false;
    }
    return kindsInclude.isEmpty() || matches(kindsInclude, type);
  }

  /** Whether objects of {@code namespace} are recorded; cluster-scoped ("") always are. */
  boolean records(String namespace) {
    if (namespace == null || namespace.isEmpty()) {
      return true;
    }
    if (namespacesExclude.contains(namespace)) {
      return false;
    }
    return namespacesInclude.isEmpty() || namespacesInclude.contains(namespace);
  }

  private static boolean matches(Set<String> names, ResourceType type) {
    String plural = type.plural().toLowerCase(Locale.ROOT);
    String kind = type.kind().toLowerCase(Locale.ROOT);
    String group = type.group().toLowerCase(Locale.ROOT);
    return names.contains(plural)
        || names.contains(kind)
        || (!group.isEmpty()
            && (names.contains(plural + "." + group) || names.contains(kind + "." + group)));
  }
}
