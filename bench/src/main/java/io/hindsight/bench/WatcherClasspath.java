package io.hindsight.bench;

import io.hindsight.watcher.WatcherMain;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classpath of a watcher process as users run it: the watcher's jar (or classes) this bench was
 * built against, plus the runtime dependencies its build wrote to {@code
 * watcher/target/classpath.txt}. Without that file, the bench's own classpath (a superset: also the
 * broker and test harness, which the watcher never loads).
 */
final class WatcherClasspath {
  private static final Logger LOG = LoggerFactory.getLogger(WatcherClasspath.class);

  private WatcherClasspath() {}

  static String resolve() {
    Path watcher = watcherLocation();
    Path list = projectRoot().resolve("watcher/target/classpath.txt");
    if (Files.isReadable(list)) {
      try {
        return watcher + File.pathSeparator + Files.readString(list).trim();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + list, e);
      }
    }
    LOG.warn(
        "{} is missing (build the watcher with ./mvnw -pl watcher package): the watcher process"
            + " gets the bench's classpath",
        list);
    return System.getProperty("java.class.path");
  }

  private static Path watcherLocation() {
    try {
      return Path.of(WatcherMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the watcher's classes", e);
    }
  }

  /** {@code hindsight.project.root} (set by bench/run and the pom), else the working folder. */
  static Path projectRoot() {
    String root = System.getProperty("hindsight.project.root");
    Path dir = root == null || root.isBlank() ? Path.of("").toAbsolutePath() : Path.of(root);
    return Files.isDirectory(dir.resolve("watcher")) ? dir : dir.getParent();
  }
}
