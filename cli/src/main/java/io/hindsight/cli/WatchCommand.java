package io.hindsight.cli;

import io.hindsight.watcher.WatcherMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs the watcher alone, against an existing Kafka, registry and cluster. */
@Command(
    name = "watch",
    description = "Record every change of a cluster into Kafka (runs until stopped).",
    footer = {
      "",
      "Configuration keys (also HINDSIGHT_<KEY> environment variables, or a --config file):",
      "  watcher.cluster-name, watcher.kubeconfig, watcher.context, kafka.bootstrap-servers,",
      "  schema.registry.url, watcher.namespaces.include|exclude, watcher.kinds.include|exclude,",
      "  watcher.sealing-key-file, watcher.http-port, watcher.on-bad-object (skip|fail)",
      "",
      "Example:",
      "  hindsight watch --config watcher.properties watcher.http-port=9400"
    })
final class WatchCommand implements Callable<Integer> {
  @Option(names = "--config", description = "A properties file of configuration keys.")
  String config;

  @Parameters(paramLabel = "KEY=VALUE", description = "Configuration overrides.")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>();
    if (config != null) {
      args.add("--config");
      args.add(config);
    }
    args.addAll(overrides);
    return WatcherMain.run(args.toArray(String[]::new), System.err);
  }
}
