package io.hindsight.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.testing.kafka.KafkaBroker;
import io.hindsight.testing.kafka.KafkaBrokers;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.testing.registry.RegistryServer;
import io.hindsight.watcher.Watcher;
import io.hindsight.watcher.WatcherConfig;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Hindsight on an embedded default: a real kube-apiserver with etcd, a Kafka broker and the schema
 * registry, all on 127.0.0.1 under one data directory; the watcher records Online Boutique being
 * applied and changed, and the recorded history is printed.
 */
@Command(
    name = "demo",
    description = {
      "Run everything locally and show Hindsight recording a cluster's history.",
      "Starts a real kube-apiserver (built from Debian's packages on first use, ~5-10 min once),",
      "a Kafka broker and a schema registry on 127.0.0.1; applies Online Boutique, changes it,",
      "and prints what was recorded."
    },
    footer = {"", "Example:", "  hindsight demo --data-dir /tmp/hindsight-demo"})
final class DemoCommand implements Callable<Integer> {
  private static final String NAMESPACE = "boutique";
  private static final String CLUSTER = "demo";
  private static final Duration WAIT = Duration.ofMinutes(2);

  @Option(
      names = "--data-dir",
      description = "Where the demo keeps its servers' data (default: ${DEFAULT-VALUE}).",
      defaultValue = ".hindsight/demo")
  Path dataDir;

  private final PrintStream out = System.out;
  private long started;

  @Override
  public Integer call() throws Exception {
    started = System.nanoTime();
    Path run = dataDir.resolve("run-" + System.currentTimeMillis());
    Files.createDirectories(run);
    step("starting kube-apiserver 1.20.2 + etcd + kube-controller-manager on 127.0.0.1");
    try (KubeApiServer kube = KubeApiServer.start(run.resolve("kube"));
        KubernetesClient client = kube.client()) {
      done();
      step("starting a Kafka broker (KRaft, 127.0.0.1)");
      try (KafkaBroker kafka = KafkaBrokers.startInProcess()) {
        done();
        step("starting the schema registry (Apicurio, Confluent-compatible API)");
        try (RegistryServer registry = RegistryServer.start(run.resolve("registry"))) {
          done();
          return demo(kube, client, kafka, registry, run);
        }
      }
    }
  }

  private int demo(
      KubeApiServer kube,
      KubernetesClient client,
      KafkaBroker kafka,
      RegistryServer registry,
      Path run)
      throws Exception {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    step("starting the watcher");
    Map<String, String> config =
        Map.of(
            WatcherConfig.CLUSTER_NAME, CLUSTER,
            WatcherConfig.KUBECONFIG, kube.kubeconfigPath().toString(),
            WatcherConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
            WatcherConfig.REGISTRY_URL, registry.url(),
            WatcherConfig.SEALING_KEY_FILE, run.resolve("sealing.key").toString(),
            WatcherConfig.HEARTBEAT_INTERVAL_MS, "500");
    try (Watcher watcher = Watcher.start(new WatcherConfig(config));
        ChangeLogSummary log =
            new ChangeLogSummary(kafka.bootstrapServers(), registry.url(), CLUSTER)) {
      waitFor("every informer synced", watcher::ready);
      done();

      step(
          "applying Online Boutique v0.7.0 (12 Deployments, 12 Services) to namespace "
              + NAMESPACE);
      List<HasMetadata> items;
      try (InputStream in =
          DemoCommand.class.getResourceAsStream("/demo/online-boutique-v0.7.0.yaml")) {
        items = client.load(in).items();
      }
      for (HasMetadata item : items) {
        client.resource(item).inNamespace(NAMESPACE).create();
      }
      waitFor(
          "the objects recorded",
          () ->
              log.poll().changes(c -> ns(c) && c.getEventType() == EventType.ADDED).size()
                  >= items.size());
      done();

      step(
          "changing it: frontend image v0.7.0 -> v0.8.0, cartservice scaled to 3, adservice deleted");
      var deployments = client.apps().deployments().inNamespace(NAMESPACE);
      deployments
          .withName("frontend")
          .edit(
              d ->
                  new DeploymentBuilder(d)
                      .editSpec()
                      .editTemplate()
                      .editSpec()
                      .editFirstContainer()
                      .withImage("gcr.io/google-samples/microservices-demo/frontend:v0.8.0")
                      .endContainer()
                      .endSpec()
                      .endTemplate()
                      .endSpec()
                      .build());
      deployments.withName("cartservice").scale(3);
      deployments.withName("adservice").delete();
      client.services().inNamespace(NAMESPACE).withName("adservice").delete();
      waitFor(
          "the changes recorded",
          () ->
              log.poll().changes(c -> ns(c) && c.getEventType() == EventType.DELETED).size() >= 2);
      done();

      printHistory(log);
      out.printf("%nDone in %.1f s. Data of this run: %s%n", seconds(), run.toAbsolutePath());
      return 0;
    }
  }

  private static boolean ns(ChangeEnvelope c) {
    return c.getNamespace().equals(NAMESPACE);
  }

  private void printHistory(ChangeLogSummary log) throws Exception {
    List<ChangeEnvelope> changes = log.poll().changes(DemoCommand::ns);
    Map<String, Map<EventType, Integer>> counts = new TreeMap<>();
    for (ChangeEnvelope c : changes) {
      counts
          .computeIfAbsent(c.getKind(), k -> new TreeMap<>())
          .merge(c.getEventType(), 1, Integer::sum);
    }
    out.printf(
        "%nRecorded in hindsight.changes for namespace %s: %d changes%n",
        NAMESPACE, changes.size());
    out.printf("  %-12s %7s %9s %8s%n", "kind", "ADDED", "MODIFIED", "DELETED");
    counts.forEach(
        (kind, byType) ->
            out.printf(
                "  %-12s %7d %9d %8d%n",
                kind,
                byType.getOrDefault(EventType.ADDED, 0),
                byType.getOrDefault(EventType.MODIFIED, 0),
                byType.getOrDefault(EventType.DELETED, 0)));
    ObjectMapper json = new ObjectMapper();
    out.printf("%nImage history of Deployment frontend:%n");
    String last = null;
    for (ChangeEnvelope c : changes) {
      if (c.getKind().equals("Deployment") && c.getName().equals("frontend")) {
        String image =
            json.readTree(c.getObject()).at("/spec/template/spec/containers/0/image").asText();
        if (!image.equals(last)) {
          out.printf("  %s  %-8s %s%n", c.getObservedAt(), c.getEventType(), image);
          last = image;
        }
      }
    }
    out.printf("%nReplicas of Deployment cartservice:%n");
    Integer lastReplicas = null;
    for (ChangeEnvelope c : changes) {
      if (c.getKind().equals("Deployment") && c.getName().equals("cartservice")) {
        int replicas = json.readTree(c.getObject()).at("/spec/replicas").asInt();
        if (lastReplicas == null || replicas != lastReplicas) {
          out.printf("  %s  %-8s replicas=%d%n", c.getObservedAt(), c.getEventType(), replicas);
          lastReplicas = replicas;
        }
      }
    }
  }

  private void step(String what) {
    out.printf("[%6.1f s] %s ... ", seconds(), what);
    out.flush();
  }

  private void done() {
    out.printf("done (%.1f s)%n", seconds());
  }

  private double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + WAIT + " waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
