package io.hindsight.sqlengines;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripted test history for SQL engines, written by the {@code test-histories} module's {@code
 * ScriptedHistoryMain} in a child JVM: the engines' classpaths hold their own Iceberg (Spark's
 * shaded runtime, Trino's plugin), which must not meet the unshaded Iceberg the project writes
 * with. The child runs on {@code hindsight.generator.java} (the JDK that runs Maven, set by the
 * build) with {@code test-histories/target/classes} and the classpath that module writes to {@code
 * target/classpath.txt}.
 */
public final class HistoryFixture {
  private static final Pattern STATE_FILE =
      Pattern.compile("state-(.+)-(\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ)\\.tsv");

  private final Path dir;
  private final long millis;

  private HistoryFixture(Path dir, long millis) {
    this.dir = dir;
    this.millis = millis;
  }

  static Path projectRoot() {
    String root = System.getProperty("hindsight.project.root");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException(
          "system property hindsight.project.root is not set (the parent pom sets it for tests)");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  /** Writes the history under {@code dir} in a child JVM and waits for it (up to 10 minutes). */
  public static HistoryFixture generate(Path dir) {
    Path module = projectRoot().resolve("test-histories/target");
    Path classpathFile = module.resolve("classpath.txt");
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(
          classpathFile
              + " is missing: build test-histories first (./mvnw -pl sql-engines/spark -am verify"
              + " builds it in the same reactor)");
    }
    String javaBin =
        System.getProperty(
            "hindsight.generator.java",
            Path.of(System.getProperty("java.home"), "bin", "java").toString());
    try {
      String classpath =
          module.resolve("classes") + File.pathSeparator + Files.readString(classpathFile).strip();
      Files.createDirectories(dir);
      List<String> command = new ArrayList<>();
      command.add(javaBin);
      command.add("-Xmx512m");
      command.add("-XX:+UseSerialGC");
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-Dhindsight.project.root=" + projectRoot());
      String testdata = System.getProperty("hindsight.testdata");
      if (testdata != null) {
        command.add("-Dhindsight.testdata=" + testdata);
      }
      command.add("-cp");
      command.add(classpath);
      command.add("io.hindsight.testhistories.ScriptedHistoryMain");
      command.add(dir.toString());
      Path log = dir.resolve("generator.log");
      long started = System.nanoTime();
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the history generator did not finish in 10 minutes; see " + log);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "the history generator failed (exit " + process.exitValue() + "):\n" + tail(log));
      }
      return new HistoryFixture(dir, (System.nanoTime() - started) / 1_000_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  public Path dir() {
    return dir;
  }

  /** How long the child JVM took. */
  public long millis() {
    return millis;
  }

  public String catalogUri() {
    return "jdbc:sqlite:" + dir.resolve("catalog.db");
  }

  public String warehouse() {
    return "file:" + dir.resolve("warehouse");
  }

  /** Rows the script implies for query {@code name} ({@code expected/NAME.tsv}). */
  public List<List<String>> expected(String name) {
    return rows(dir.resolve("expected").resolve(name + ".tsv"));
  }

  /** Namespace → instants at which the state was recorded, by the reader and the script. */
  public Map<String, List<Instant>> stateInstants() {
    Map<String, List<Instant>> out = new TreeMap<>();
    try (var files = Files.list(dir.resolve("reader"))) {
      files.forEach(
          f -> {
            Matcher m = STATE_FILE.matcher(f.getFileName().toString());
            if (m.matches()) {
              String ns = m.group(1).equals("_cluster") ? "" : m.group(1);
              String t = m.group(2);
              Instant at =
                  Instant.parse(
                      t.substring(0, 13) + ":" + t.substring(14, 16) + ":" + t.substring(17));
              out.computeIfAbsent(ns, k -> new ArrayList<>()).add(at);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  private static String stateFile(String namespace, Instant at) {
    return "state-"
        + (namespace.isEmpty() ? "_cluster" : namespace)
        + "-"
        + at.toString().replace(':', '-')
        + ".tsv";
  }

  /** HistoryReader.stateAt of the namespace at T: kind, name, uid, resourceVersion. */
  public List<List<String>> readerState(String namespace, Instant at) {
    return rows(dir.resolve("reader").resolve(stateFile(namespace, at)));
  }

  /** The script's state of the namespace at T, in the same rows. */
  public List<List<String>> expectedState(String namespace, Instant at) {
    return rows(dir.resolve("expected").resolve(stateFile(namespace, at)));
  }

  private static List<List<String>> rows(Path file) {
    try {
      List<List<String>> rows = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isEmpty()) {
          rows.add(List.of(line.split("\t", -1)));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
