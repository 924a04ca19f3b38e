package io.hindsight.restorer;

import java.util.Locale;

/**
 * A kind within its API group ({@code ""} for core): what the order and skip lists are keyed by.
 */
record KindRef(String group, String kind) {
  KindRef {
    group = group == null ? "" : group;
  }

  /** From {@code Kind} or {@code Kind.group} (the group is everything after the first dot). */
  static KindRef parse(String text) {
    String trimmed = text.trim();
    int dot = trimmed.indexOf('.');
    return dot < 0
        ? new KindRef("", trimmed)
        : new KindRef(trimmed.substring(dot + 1), trimmed.substring(0, dot));
  }

  /** The group of an {@code apiVersion} ({@code apps/v1} → {@code apps}, {@code v1} → ""). */
  static String groupOf(String apiVersion) {
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  static KindRef of(String apiVersion, String kind) {
    return new KindRef(groupOf(apiVersion), kind);
  }

  boolean matches(KindRef other) {
    return kind.equalsIgnoreCase(other.kind) && group.equalsIgnoreCase(other.group);
  }

  String lowerKey() {
    return toString().toLowerCase(Locale.ROOT);
  }

  /** {@code Kind} or {@code Kind.group}. */
  @Override
  public String toString() {
    return group.isEmpty() ? kind : kind + "." + group;
  }
}
