package io.hindsight.restorer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What is never restored nor pruned, as data: the rules of {@code never-restore.txt} (a resource of
 * this package, one rule per line). {@link #reason} says why an object is left out.
 */
final class NeverRestoreRules {
  /** One line: a kind and qualifiers that must all hold. */
  record Rule(
      KindRef kind,
      String name,
      String namePrefix,
      String type,
      String labelKey,
      String labelValue,
      boolean derivedFromService,
      String text) {

    boolean matches(RestoreObject item, Set<String> servicesWithSelector) {
      var meta = item.object().path("metadata");
      return kind.matches(item.kindRef())
          && (name == null || name.equals(item.name()))
          && (namePrefix == null || item.name().startsWith(namePrefix))
          && (type == null || type.equals(item.object().path("type").asText()))
          && (labelKey == null || labelValue.equals(meta.path("labels").path(labelKey).asText()))
          && (!derivedFromService
              || servicesWithSelector.contains(
                  meta.path("namespace").asText() + "/" + item.name()));
    }
  }

  private final List<Rule> rules;

  NeverRestoreRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The rules shipped with the restorer. */
  static NeverRestoreRules standard() {
    try (InputStream in = NeverRestoreRules.class.getResourceAsStream("never-restore.txt")) {
      if (in == null) {
        throw new IllegalStateException("never-restore.txt missing from the restorer's resources");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static NeverRestoreRules parse(String text) {
    List<Rule> rules = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new java.io.StringReader(text))) {
      String line;
      while ((line = lines.readLine()) != null) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        rules.add(rule(trimmed));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new NeverRestoreRules(rules);
  }

  private static Rule rule(String line) {
    String[] parts = line.split("\\s+");
    String name = null;
    String prefix = null;
    String type = null;
    String labelKey = null;
    String labelValue = null;
    boolean derived = false;
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i];
      if (part.startsWith("name=")) {
        name = part.substring(5);
      } else if (part.startsWith("name-prefix=")) {
        prefix = part.substring(12);
      } else if (part.startsWith("type=")) {
        type = part.substring(5);
      } else if (part.startsWith("label=") && part.indexOf('=', 6) > 0) {
        int eq = part.indexOf('=', 6);
        labelKey = part.substring(6, eq);
        labelValue = part.substring(eq + 1);
      } else if (part.equals("derived-from-service")) {
        derived = true;
      } else {
        throw new IllegalArgumentException(
            "never-restore rule '" + line + "': unknown '" + part + "'");
      }
    }
    return new Rule(
        KindRef.parse(parts[0]), name, prefix, type, labelKey, labelValue, derived, line);
  }

  /** Why {@code item} is never restored, or empty when it may be. */
  Optional<String> reason(RestoreObject item, Set<String> servicesWithSelector) {
    for (Rule rule : rules) {
      if (rule.matches(item, servicesWithSelector)) {
        return Optional.of("never restored (rule '" + rule.text() + "')");
      }
    }
    return Optional.empty();
  }

  /** Whether every object of {@code kind} is left out, whatever its name, type or labels. */
  boolean excludesWholeKind(KindRef kind) {
    return rules.stream()
        .anyMatch(
            r ->
                r.kind().matches(kind)
                    && r.name() == null
                    && r.namePrefix() == null
                    && r.type() == null
                    && r.labelKey() == null
                    && !r.derivedFromService());
  }
}
