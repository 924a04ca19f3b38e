package io.hindsight.restorer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The report stage: a {@link RestoreResult} as text (for people), JSON or YAML (for programs). */
public final class ReportRenderer {
  /** The output formats of {@code -o}. */
  public enum Format {
    TEXT,
    JSON,
    YAML;

    public static Format parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("-o '" + text + "': use text, json or yaml");
      }
    }
  }

  private ReportRenderer() {}

  public static String render(RestoreResult result, Format format) {
    return switch (format) {
      case TEXT -> text(result);
      case JSON -> json(result);
      case YAML -> JsonTrees.yaml(tree(result));
    };
  }

  private static ObjectNode tree(RestoreResult result) {
    ObjectNode tree = JsonTrees.JSON.valueToTree(result);
    ObjectNode counts = tree.putObject("counts");
    result.counts().forEach((k, v) -> counts.put(k.name().toLowerCase(Locale.ROOT), v));
    tree.set("errors", JsonTrees.JSON.valueToTree(result.errors()));
    return tree;
  }

  private static String json(RestoreResult result) {
    try {
      return JsonTrees.JSON
              .copy()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(tree(result))
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(RestoreResult r) {
    StringBuilder out = new StringBuilder();
    out.append(r.dryRun() ? "Dry run: restore of namespace " : "Restore of namespace ")
        .append(r.namespace())
        .append(" at ")
        .append(r.at());
    if (!r.toNamespace().equals(r.namespace())) {
      out.append(" into namespace ").append(r.toNamespace());
    }
    if (r.outputDir() != null) {
      out.append(" as manifests in ").append(r.outputDir());
    }
    out.append("\n");
    if (!r.message().isEmpty()) {
      out.append(r.message()).append("\n");
    }
    int kindWidth = r.objects().stream().mapToInt(o -> o.kind().length()).max().orElse(4);
    int nameWidth = r.objects().stream().mapToInt(o -> scoped(o).length()).max().orElse(4);
    for (ObjectResult o : r.objects()) {
      String line =
          String.format(
              "  %-" + kindWidth + "s  %-" + nameWidth + "s  %s",
              o.kind(),
              scoped(o),
              o.outcome().describe(r.dryRun()));
      out.append(line);
      if (!o.reason().isEmpty()) {
        out.append(": ").append(o.reason());
      }
      out.append("\n");
      for (String d : o.diff()) {
        out.append("      ").append(d).append("\n");
      }
    }
    Map<String, Map<Outcome, Integer>> perKind = new TreeMap<>();
    for (ObjectResult o : r.objects()) {
      perKind
          .computeIfAbsent(o.kind(), k -> new java.util.EnumMap<>(Outcome.class))
          .merge(o.outcome(), 1, Integer::sum);
    }
    if (!perKind.isEmpty()) {
      out.append("Per kind:\n");
      perKind.forEach(
          (kind, counts) ->
              out.append("  ")
                  .append(kind)
                  .append(": ")
                  .append(counts(counts, r.dryRun()))
                  .append("\n"));
    }
    section(out, "Warnings", r.warnings());
    section(out, "Errors", r.errors());
    out.append("Outcome: ")
        .append(r.status().name().toLowerCase(Locale.ROOT).replace('_', ' '))
        .append(" (")
        .append(counts(r.counts(), r.dryRun()))
        .append(String.format(Locale.ROOT, ") in %.1f s", r.seconds()))
        .append(r.dryRun() ? "; nothing was written" : "")
        .append("\n");
    return out.toString();
  }

  private static void section(StringBuilder out, String title, Map<String, List<String>> byKind) {
    if (byKind.isEmpty()) {
      return;
    }
    out.append(title).append(":\n");
    new TreeMap<>(byKind)
        .forEach(
            (kind, lines) ->
                lines.forEach(
                    l -> out.append("  ").append(kind).append(" ").append(l).append("\n")));
  }

  private static String counts(Map<Outcome, Integer> counts, boolean dryRun) {
    if (counts.isEmpty()) {
      return "no objects";
    }
    StringBuilder s = new StringBuilder();
    counts.forEach(
        (outcome, n) ->
            s.append(s.length() == 0 ? "" : ", ")
                .append(n)
                .append(" ")
                .append(outcome.describe(dryRun)));
    return s.toString();
  }

  private static String scoped(ObjectResult o) {
    return o.namespace().isEmpty() ? o.name() : o.namespace() + "/" + o.name();
  }
}
