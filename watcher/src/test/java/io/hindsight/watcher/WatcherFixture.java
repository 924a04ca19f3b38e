package io.hindsight.watcher;

import io.hindsight.testing.kafka.KafkaBroker;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.testing.registry.RegistryServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds watcher configurations that point at the shared test servers. */
record WatcherFixture(KafkaBroker kafka, RegistryServer registry, KubeApiServer kube, Path dir) {

  Map<String, String> config(String cluster, String... namespaces) {
    Map<String, String> values = new HashMap<>();
    values.put(WatcherConfig.CLUSTER_NAME, cluster);
    values.put(WatcherConfig.KUBECONFIG, kube.kubeconfigPath().toString());
    values.put(WatcherConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    values.put(WatcherConfig.REGISTRY_URL, registry.url());
    values.put(WatcherConfig.SEALING_KEY_FILE, dir.resolve("sealing.key").toString());
    values.put(WatcherConfig.HEARTBEAT_INTERVAL_MS, "200");
    values.put(WatcherConfig.DISCOVERY_INTERVAL_MS, "5000");
    values.put(WatcherConfig.NAMESPACES_INCLUDE, String.join(",", namespaces));
    return values;
  }

  /** Creates a namespace in the test API server. */
  void namespace(String name) {
    kube.client()
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .build())
        .create();
  }

  Watcher start(String cluster, String... namespaces) {
    return Watcher.start(new WatcherConfig(config(cluster, namespaces)));
  }

  ChangeLog changeLog(String cluster) {
    return new ChangeLog(kafka.bootstrapServers(), registry.url(), cluster);
  }

  /** The same watcher as a separate JVM, to be killed with SIGKILL. */
  Process startProcess(String cluster, Path log, String... namespaces) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WatcherMain.class.getName());
    config(cluster, namespaces).forEach((k, v) -> command.add(k + "=" + v));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }
}
