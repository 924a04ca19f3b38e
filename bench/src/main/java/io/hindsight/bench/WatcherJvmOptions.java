package io.hindsight.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM options the watcher process is launched with, from {@code watcher/jvm.options} — the file
 * {@code ./hindsight watch} reads too, so the memory benchmark measures the process users run. One
 * option per line; {@code #} starts a comment.
 */
final class WatcherJvmOptions {
  static final String FILE = "watcher/jvm.options";

  private WatcherJvmOptions() {}

  static List<String> load() {
    Path file = WatcherClasspath.projectRoot().resolve(FILE);
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the watcher's JVM options " + file, e);
    }
  }

  static List<String> parse(String text) {
    return text.lines()
        .map(line -> line.replaceAll("#.*", "").trim())
        .filter(line -> !line.isEmpty())
        .flatMap(line -> Arrays.stream(line.split("\\s+")))
        .toList();
  }
}
