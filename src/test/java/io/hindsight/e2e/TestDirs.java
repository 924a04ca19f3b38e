package io.hindsight.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Folders of the suite's processes (pipeline, second API server), kept after the run for their
 * logs: below the system property {@code hindsight.e2e.dir} (the module's {@code target/}).
 */
final class TestDirs {
  private TestDirs() {}

  static Path create(String prefix) {
    Path parent = Path.of(System.getProperty("hindsight.e2e.dir", "target")).toAbsolutePath();
    try {
      Files.createDirectories(parent);
      return Files.createTempDirectory(parent, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder under " + parent, e);
    }
  }
}
