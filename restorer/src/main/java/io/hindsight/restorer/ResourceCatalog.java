package io.hindsight.restorer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The resource types the restorer knows of: what the target serves, or what history shows. */
interface ResourceCatalog {
  /** The type of {@code kind}, if known. */
  Optional<ServedResource> find(KindRef kind);

  /** Every known type. */
  List<ServedResource> all();

  /** {@code plural[.group]} of {@code kind}, guessed from the kind name when not known. */
  default String groupResource(KindRef kind) {
    return find(kind)
        .map(ServedResource::groupResource)
        .orElseGet(
            () -> {
              String plural = guessPlural(kind.kind());
              return kind.group().isEmpty() ? plural : plural + "." + kind.group();
            });
  }

  /** English plural of a kind, as the API machinery guesses it (lower case). */
  static String guessPlural(String kind) {
    String lower = kind.toLowerCase(Locale.ROOT);
    if (lower.equals("endpoints")) {
      return lower;
    }
    if (lower.endsWith("s")
        || lower.endsWith("x")
        || lower.endsWith("ch")
        || lower.endsWith("sh")) {
      return lower + "es";
    }
    if (lower.endsWith("y")
        && lower.length() > 1
        && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
      return lower.substring(0, lower.length() - 1) + "ies";
    }
    return lower + "s";
  }

  /**
   * The kinds a user's {@code token} names: a Kind ({@code Deployment}), a plural ({@code
   * deployments}), a short name ({@code deploy}), or either qualified by group ({@code
   * deployments.apps}, {@code Deployment.apps}); case-insensitive. Empty when nothing matches.
   */
  default List<KindRef> resolve(String token) {
    String t = token.trim().toLowerCase(Locale.ROOT);
    List<KindRef> matches = new ArrayList<>();
    for (ServedResource r : all()) {
      String kind = r.kind().kind().toLowerCase(Locale.ROOT);
      String group = r.kind().group().toLowerCase(Locale.ROOT);
      List<String> names = new ArrayList<>(List.of(kind, r.plural()));
      r.shortNames().forEach(s -> names.add(s.toLowerCase(Locale.ROOT)));
      for (String name : names) {
        if (t.equals(name) || (!group.isEmpty() && t.equals(name + "." + group))) {
          matches.add(r.kind());
          break;
        }
      }
    }
    return matches;
  }
}
