package io.hindsight.history;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which objects of a state to keep: by kind (include and exclude lists; a kind is {@code Kind} or
 * {@code Kind.group}, case-insensitive, e.g. {@code Deployment}, {@code deployment.apps}), by label
 * selector, and by name. Empty lists mean no restriction.
 */
public record Selection(
    Set<String> includeKinds, Set<String> excludeKinds, LabelSelector labels, Set<String> names) {

  public static final Selection EVERYTHING =
      new Selection(Set.of(), Set.of(), LabelSelector.everything(), Set.of());

  public Selection {
    includeKinds = lower(includeKinds);
    excludeKinds = lower(excludeKinds);
    labels = labels == null ? LabelSelector.everything() : labels;
    names = names == null ? Set.of() : Set.copyOf(names);
  }

  private static Set<String> lower(Set<String> kinds) {
    return kinds == null
        ? Set.of()
        : kinds.stream().map(k -> k.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  public boolean matches(StoredObject object) {
    return matchesKind(object.id().kind(), object.id().apiGroup())
        && (names.isEmpty() || names.contains(object.id().name()))
        && labels.matches(object.labels());
  }

  /** Whether objects of this kind can be selected at all (the label and name aside). */
  public boolean matchesKind(String kind, String apiGroup) {
    String plain = kind.toLowerCase(Locale.ROOT);
    String qualified = apiGroup.isEmpty() ? plain : plain + "." + apiGroup.toLowerCase(Locale.ROOT);
    if (!includeKinds.isEmpty()
        && !includeKinds.contains(plain)
        && !includeKinds.contains(qualified)) {
      return false;
    }
    return !excludeKinds.contains(plain) && !excludeKinds.contains(qualified);
  }

  public boolean everything() {
    return includeKinds.isEmpty()
        && excludeKinds.isEmpty()
        && labels.matchesEverything()
        && names.isEmpty();
  }
}
