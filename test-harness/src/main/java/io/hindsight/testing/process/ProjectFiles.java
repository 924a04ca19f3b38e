package io.hindsight.testing.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a file that a module of this repository builds (a runner jar, a classpath file): the system
 * property given, else below {@code hindsight.project.root} (the parent pom sets it for tests, the
 * {@code hindsight} launcher for the program), else below the working directory or a parent.
 */
public final class ProjectFiles {
  private ProjectFiles() {}

  /**
   * @param relative the file's path from the repository root, e.g. {@code
   *     kafka-server/target/classpath.txt}
   * @param overrideProperty a system property that names the file directly
   * @param buildHint how to build it, for the error message
   */
  public static Path find(Path relative, String overrideProperty, String buildHint) {
    String configured = System.getProperty(overrideProperty);
    if (configured != null && !configured.isBlank()) {
      Path file = Path.of(configured);
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException(overrideProperty + " = " + file + ": no such file");
      }
      return file;
    }
    String root = System.getProperty("hindsight.project.root");
    if (root != null && !root.isBlank()) {
      Path file = Path.of(root).resolve(relative);
      if (Files.isRegularFile(file)) {
        return file;
      }
    } else {
      for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve(relative))) {
          return dir.resolve(relative);
        }
      }
    }
    throw new IllegalStateException(
        relative
            + " not found below "
            + (root != null && !root.isBlank()
                ? root + " (hindsight.project.root)"
                : Path.of("").toAbsolutePath() + " or its parents")
            + ": "
            + buildHint
            + " (or point -D"
            + overrideProperty
            + " at it)");
  }
}
