package io.hindsight.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hindsight.cli.HindsightMain;
import io.hindsight.testing.process.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code hindsight} program as its users run it: a JVM of its own with the program's classpath
 * (this test JVM's, which holds the cli module and everything it needs) and {@code
 * io.hindsight.cli.HindsightMain}, the logging of the launcher script. Long-running subcommands
 * ({@code watch}, {@code materialize}) become {@link ChildProcess}es; {@code restore} runs to its
 * end and is answered as a {@link Run}.
 */
final class Hindsight {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(5);
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final Path dir;
  private final Path argFile;

  /** Programs whose logs and outputs go to {@code dir}. */
  Hindsight(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      // an argument file: the classpath may exceed what one command-line argument can hold
      argFile = dir.resolve("classpath.args");
      Files.writeString(argFile, "-cp\n\"" + System.getProperty("java.class.path") + "\"\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What one {@code hindsight} run left: its exit code, stdout, stderr. */
  record Run(List<String> args, int exitCode, String stdout, String stderr) {
    /** stdout as JSON ({@code -o json}). */
    JsonNode json() {
      try {
        return JSON.readTree(stdout);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON on stdout of " + this, e);
      }
    }

    @Override
    public String toString() {
      return "hindsight "
          + String.join(" ", args)
          + " → exit "
          + exitCode
          + "\nstderr:\n"
          + stderr
          + "\nstdout:\n"
          + (stdout.length() > 20_000 ? stdout.substring(0, 20_000) + "…" : stdout);
    }
  }

  List<String> command(String heap, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Djava.awt.headless=true");
    // as the hindsight launcher: its logging (stderr), INFO for Hindsight's own loggers
    command.add("-Dlogback.configurationFile=hindsight-logback.xml");
    command.add("-Dhindsight.log.level=INFO");
    command.add("@" + argFile);
    command.add(HindsightMain.class.getName());
    command.addAll(args);
    return command;
  }

  /** Starts a long-running subcommand ({@code watch}, {@code materialize}); output to its log. */
  ChildProcess start(String name, List<String> args) {
    return ChildProcess.start(
        name, command("-Xmx384m", args), dir.resolve(name + ".log"), Duration.ofSeconds(10));
  }

  /** Runs {@code hindsight ARGS} to its end (at most 5 minutes). */
  Run run(List<String> args) {
    int n = RUNS.incrementAndGet();
    Path out = dir.resolve("run-" + n + ".out");
    Path err = dir.resolve("run-" + n + ".err");
    try {
      Process process =
          new ProcessBuilder(command("-Xmx512m", args))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      if (!process.waitFor(RESTORE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
            "hindsight " + args + " did not end within " + RESTORE_TIMEOUT + "; " + err);
      }
      return new Run(
          List.copyOf(args), process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
