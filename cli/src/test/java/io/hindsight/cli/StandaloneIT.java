package io.hindsight.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.history.Change;
import io.hindsight.history.HistoryReader;
import io.hindsight.history.ObjectId;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;
import io.hindsight.history.StoredObject;
import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.testing.kube.KubeApiServerExtension;
import io.hindsight.testing.process.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hindsight standalone} as users run it (a process), against a real API server: it records,
 * is killed with SIGKILL (its broker and registry JVMs left behind as orphans), objects change
 * while it is down, it is started again on the same data directory — and no change is lost.
 */
@ExtendWith(KubeApiServerExtension.class)
class StandaloneIT {
  private static final String NS = "standalone-it";

  @TempDir Path dir;
  private ChildProcess standalone;

  @AfterEach
  void stop() {
    if (standalone != null) {
      standalone.stop();
    }
  }

  private List<String> command(KubeApiServer kube) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dhindsight.project.root=" + System.getProperty("hindsight.project.root"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(HindsightMain.class.getName());
    command.addAll(
        List.of(
            "standalone",
            "--data-dir",
            dir.resolve("data").toString(),
            "--kubeconfig",
            kube.kubeconfigPath().toString(),
            "--cluster-name",
            "standalone-it",
            "--namespaces",
            NS,
            "--set",
            "watcher.heartbeat-interval-ms=200",
            "--set",
            "materializer.commit-interval-ms=1000",
            "--set",
            "materializer.watermark-interval-ms=500",
            "--set",
            "materializer.checkpoint-interval-ms=5000"));
    return command;
  }

  private static void put(KubernetesClient kube, String name, String value) {
    kube.configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .addToData("v", value)
                .build())
        .createOr(c -> c.update());
  }

  private CatalogConfig catalog() {
    return new CatalogConfig(new DataDirectory(dir.resolve("data")).catalog());
  }

  /** The history's state of the namespace at its watermark, as name → value. */
  private Map<String, String> recorded() {
    try (HistoryReader reader = HistoryReader.open(catalog())) {
      Instant at =
          reader.coverage("standalone-it").completeThrough(java.util.Optional.of(NS)).orElseThrow();
      State state = reader.stateAt(StateQuery.namespace(NS, at));
      Map<String, String> values = new TreeMap<>();
      for (StoredObject o : state.objects()) {
        if (o.id().kind().equals("ConfigMap") && o.id().name().startsWith("cm-")) {
          values.put(o.id().name(), o.json().replaceAll(".*\"v\":\"([^\"]*)\".*", "$1"));
        }
      }
      return values;
    }
  }

  private Map<String, String> live(KubernetesClient kube) {
    Map<String, String> values = new TreeMap<>();
    for (ConfigMap cm : kube.configMaps().inNamespace(NS).list().getItems()) {
      if (cm.getMetadata().getName().startsWith("cm-")) {
        values.put(cm.getMetadata().getName(), cm.getData().get("v"));
      }
    }
    return values;
  }

  private void awaitRecorded(KubernetesClient kube) {
    Map<String, String> expected = live(kube);
    try {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                standalone.checkAlive();
                assertThat(recorded()).isEqualTo(expected);
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      String why;
      try {
        why = String.valueOf(recorded());
      } catch (RuntimeException refused) {
        why = refused.getMessage();
      }
      throw new AssertionError(
          "history never showed " + expected + " (last: " + why + "); " + standalone.logTail(), e);
    }
  }

  @Test
  void killedAndStartedAgainItLosesNoChange(KubeApiServer kube) {
    KubernetesClient client = kube.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    standalone =
        ChildProcess.start(
            "hindsight standalone",
            command(kube),
            dir.resolve("standalone.log"),
            Duration.ofSeconds(30));
    List<String> madeWhileUp = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      put(client, "cm-" + i, "v1");
      madeWhileUp.add("cm-" + i + "=v1");
    }
    put(client, "cm-0", "v2");
    madeWhileUp.add("cm-0=v2");
    awaitRecorded(client);

    ProcessHandle.of(standalone.pid()).ifPresent(ProcessHandle::destroyForcibly);
    await().atMost(Duration.ofSeconds(10)).until(() -> !standalone.isAlive());
    put(client, "cm-1", "while-down");
    client.configMaps().inNamespace(NS).withName("cm-2").delete();
    put(client, "cm-9", "born-while-down");

    standalone.start();
    awaitRecorded(client);
    put(client, "cm-3", "after-restart");
    madeWhileUp.add("cm-3=after-restart");
    awaitRecorded(client);

    try (HistoryReader reader = HistoryReader.open(catalog())) {
      Set<String> seen = new HashSet<>();
      Map<String, Integer> perVersion = new HashMap<>();
      for (String name : List.of("cm-0", "cm-1", "cm-2", "cm-3", "cm-4", "cm-9")) {
        for (Change change :
            reader.history(new ObjectId("standalone-it", "", "ConfigMap", NS, name), null, null)) {
          StoredObject o = change.object();
          perVersion.merge(
              o.uid() + "@" + o.resourceVersion() + ":" + change.eventType(), 1, Integer::sum);
          if (!change.deleted()) {
            seen.add(name + "=" + o.json().replaceAll(".*\"v\":\"([^\"]*)\".*", "$1"));
          }
        }
      }
      assertThat(seen).as("every change made while it ran").containsAll(madeWhileUp);
      assertThat(seen)
          .as("the final states of what changed while it was down")
          .contains("cm-1=while-down", "cm-9=born-while-down");
      assertThat(perVersion.values()).as("nothing recorded twice").allMatch(n -> n == 1);
      assertThat(reader.gaps("standalone-it", Instant.EPOCH, Instant.now()))
          .as("the downtime is a recorded gap")
          .anySatisfy(g -> assertThat(g.reason()).startsWith("WATCHER_START"));
    }
  }
}
