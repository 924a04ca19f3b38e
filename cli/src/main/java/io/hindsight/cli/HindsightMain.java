package io.hindsight.cli;

import io.hindsight.cli.audit.DiffCommand;
import io.hindsight.cli.audit.HistoryCommand;
import io.hindsight.cli.audit.PointsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hindsight} program. */
@Command(
    name = "hindsight",
    mixinStandardHelpOptions = true,
    version = "hindsight 0.1.0-SNAPSHOT",
    description = "Continuous backup and point-in-time restore for Kubernetes.",
    subcommands = {
      DemoCommand.class,
      WatchCommand.class,
      StandaloneCommand.class,
      MaterializeCommand.class,
      RestoreCommand.class,
      HistoryCommand.class,
      DiffCommand.class,
      PointsCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  hindsight demo                       # everything embedded: no cluster, broker or registry needed",
      "  hindsight watch watcher.cluster-name=prod kafka.bootstrap-servers=kafka:9092 \\",
      "      schema.registry.url=http://registry:8081",
      "  hindsight restore --namespace shop --at -15m --to-namespace shop-copy --dry-run",
      "",
      "Exit codes: 0 done, 1 failed, 2 bad usage or configuration, 3 could not start (or, for",
      "watch, the heap ran out: see watcher/jvm.options), 4 a part died while running.",
      "'hindsight restore --help' lists the restore's own."
    })
public final class HindsightMain implements Runnable {
  private HindsightMain() {}

  public static void main(String[] args) {
    System.exit(
        RestoreCommand.oneLineUsageErrors(new CommandLine(new HindsightMain())).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
