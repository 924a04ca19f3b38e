package io.hindsight.restorer;

import io.hindsight.restorer.RestoreOrder.PriorityClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --output-dir}: instead of applying, writes each sanitized, transformed object as one YAML
 * file, named {@code NNN-kind-[namespace-]name.yaml} in restore order, so applying the files in
 * name order respects it. Owner references are left out (the owners' uids are the target's, not
 * known here; controllers adopt their orphans). Secrets are written only when asked, their values
 * in clear.
 */
final class ManifestWriter {
  private final Path dir;
  private final boolean writeSecrets;

  ManifestWriter(Path dir, boolean writeSecrets) {
    this.dir = dir;
    this.writeSecrets = writeSecrets;
  }

  /** Refuses a folder that holds files already (stale manifests would mix with new ones). */
  static void checkUsable(Path dir) {
    if (Files.isRegularFile(dir)) {
      throw new RestoreException(
          RestoreException.Problem.BAD_REQUEST,
          "--output-dir " + dir + " is a file: give a new or empty folder");
    }
    if (Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new RestoreException(
              RestoreException.Problem.BAD_REQUEST,
              "--output-dir " + dir + " is not empty: give a new or empty folder");
        }
      } catch (IOException e) {
        throw new RestoreException(
            RestoreException.Problem.BAD_REQUEST,
            "--output-dir " + dir + ": cannot read it (" + e.getMessage() + ")");
      }
    }
  }

  List<ObjectResult> write(List<PriorityClass> classes, ProgressListener progress) {
    List<ObjectResult> results = new ArrayList<>();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new RestoreException(
          RestoreException.Problem.BAD_REQUEST,
          "--output-dir " + dir + ": cannot create it (" + e.getMessage() + ")");
    }
    int index = 0;
    for (PriorityClass priorityClass : classes) {
      for (RestoreObject item : priorityClass.objects()) {
        ObjectResult result;
        if (item.kindRef().matches(new KindRef("", "Secret")) && !writeSecrets) {
          result =
              ObjectResult.of(
                  item,
                  Outcome.SKIPPED,
                  "Secrets are not written to files unless --output-secrets (values in clear)");
        } else {
          item.metadata().remove("ownerReferences");
          String file =
              String.format(
                  Locale.ROOT,
                  "%03d-%s-%s%s.yaml",
                  ++index,
                  safe(item.kind()),
                  item.namespace().isEmpty() ? "" : safe(item.namespace()) + "-",
                  safe(item.name()));
          try {
            Files.writeString(dir.resolve(file), JsonTrees.yaml(item.object()));
            result = ObjectResult.of(item, Outcome.WRITTEN, file);
          } catch (IOException e) {
            result =
                ObjectResult.of(
                    item, Outcome.FAILED, "cannot write " + file + ": " + e.getMessage());
          }
        }
        results.add(result);
        progress.done(result);
      }
    }
    return results;
  }

  private static String safe(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "_");
  }
}
