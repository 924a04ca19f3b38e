package io.hindsight.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hindsight} program. */
@Command(
    name = "hindsight",
    mixinStandardHelpOptions = true,
    version = "hindsight 0.1.0-SNAPSHOT",
    description = "Continuous backup and point-in-time restore for Kubernetes.",
    subcommands = {DemoCommand.class, WatchCommand.class, CommandLine.HelpCommand.class},
    footer = {
      "",
      "Examples:",
      "  hindsight demo                       # everything embedded: no cluster, broker or registry needed",
      "  hindsight watch watcher.cluster-name=prod kafka.bootstrap-servers=kafka:9092 \\",
      "      schema.registry.url=http://registry:8081",
      "",
      "Exit codes: 0 done, 1 failed, 2 bad usage or configuration, 3 could not start (or, for",
      "watch, the heap ran out: see watcher/jvm.options), 4 a part died while running."
    })
public final class HindsightMain implements Runnable {
  private HindsightMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new HindsightMain()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
