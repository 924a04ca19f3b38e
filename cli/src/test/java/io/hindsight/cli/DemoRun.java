package io.hindsight.cli;

import io.hindsight.testing.process.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code hindsight demo} run as a process of its own, as {@code ./hindsight} runs it, with its data
 * directory under {@code dir}: what {@link DemoIT} and {@link SimulatedDemoIT} check.
 */
record DemoRun(boolean ended, int exitValue, String printed) {

  /** Runs the demo with {@code options}; kills it and its children after {@code limit}. */
  static DemoRun of(Path dir, Duration limit, String... options)
      throws IOException, InterruptedException {
    Path output = dir.resolve("demo.out");
    Path errors = dir.resolve("demo.err");
    Process demo =
        new ProcessBuilder(command(dir, options))
            .redirectOutput(output.toFile())
            .redirectError(errors.toFile())
            .start();
    boolean ended = demo.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
      demo.waitFor();
    }
    String printed = read(output);
    System.out.println("hindsight demo printed:\n" + printed + "\nand on stderr:\n" + read(errors));
    return new DemoRun(ended, demo.exitValue(), printed);
  }

  /**
   * The processes still running on the demo's data directory, as "PID COMMAND LINE". (Not the
   * demo's descendants: once the demo has exited, its orphans belong to init, so that list is empty
   * whatever is left running.)
   */
  static Stream<String> leftovers(Path dir) {
    String data = dataDir(dir).toString();
    return ProcessHandle.allProcesses()
        .filter(p -> ChildProcess.commandLine(p).contains(data))
        .map(p -> p.pid() + " " + ChildProcess.commandLine(p));
  }

  private static Path dataDir(Path dir) {
    return dir.resolve("demo");
  }

  private static List<String> command(Path dir, String... options) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dhindsight.project.root=" + System.getProperty("hindsight.project.root"));
    command.add("-Dlogback.configurationFile=hindsight-logback.xml"); // as ./hindsight runs it
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(HindsightMain.class.getName());
    command.add("demo");
    command.addAll(List.of(options));
    command.addAll(List.of("--data-dir", dataDir(dir).toString()));
    return command;
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "(nothing)";
  }
}
