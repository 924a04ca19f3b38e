package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.schemas.avro.Origin;
import io.hindsight.testing.kafka.KafkaBroker;
import io.hindsight.testing.kafka.KafkaExtension;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.testing.kube.KubeApiServerExtension;
import io.hindsight.testing.registry.RegistryExtension;
import io.hindsight.testing.registry.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher through faults: killed with SIGKILL and restarted while objects change, and an etcd
 * compaction that makes the API server answer 410 Gone. Nothing may be lost, nothing repeated, and
 * every unwatched interval is recorded as a gap.
 */
@ExtendWith({KafkaExtension.class, RegistryExtension.class, KubeApiServerExtension.class})
class WatcherRecoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  private WatcherFixture fixture;
  private KubernetesClient kube;
  private KubeApiServer server;

  @BeforeEach
  void setUp(KafkaBroker kafka, RegistryServer registry, KubeApiServer server) {
    this.fixture = new WatcherFixture(kafka, registry, server, dir);
    this.server = server;
    this.kube = server.client();
  }

  private void put(String ns, String name, String value) {
    kube.configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .endMetadata()
                .addToData("k", value)
                .build())
        .createOr(c -> c.update());
  }

  /** The value each ConfigMap of {@code ns} has according to the log (deleted ones absent). */
  private static Map<String, String> replay(ChangeLog log, String ns) {
    Map<String, String> state = new HashMap<>();
    for (ChangeEnvelope c :
        log.changes(
            c ->
                c.getKind().equals("ConfigMap")
                    && c.getNamespace().equals(ns)
                    && c.getName().startsWith("cm-"))) {
      if (c.getEventType() == EventType.DELETED) {
        state.remove(c.getName());
      } else {
        state.put(c.getName(), value(c));
      }
    }
    return state;
  }

  private static String value(ChangeEnvelope c) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(c.getObject())
          .path("data")
          .path("k")
          .asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, String> live(String ns) {
    Map<String, String> state = new HashMap<>();
    kube.configMaps().inNamespace(ns).list().getItems().stream()
        .filter(c -> c.getMetadata().getName().startsWith("cm-"))
        .forEach(c -> state.put(c.getMetadata().getName(), c.getData().get("k")));
    return state;
  }

  /** Every recorded state of an object differs from the one before it: nothing published twice. */
  private static void assertNothingTwice(ChangeLog log, String ns) {
    Map<String, List<ChangeEnvelope>> byName = new HashMap<>();
    for (ChangeEnvelope c :
        log.changes(c -> c.getKind().equals("ConfigMap") && c.getNamespace().equals(ns))) {
      byName.computeIfAbsent(c.getName(), k -> new java.util.ArrayList<>()).add(c);
    }
    byName.forEach(
        (name, changes) -> {
          for (int i = 1; i < changes.size(); i++) {
            ChangeEnvelope before = changes.get(i - 1);
            ChangeEnvelope now = changes.get(i);
            if (now.getEventType() == EventType.DELETED) {
              assertThat(before.getEventType())
                  .as("%s deleted twice", name)
                  .isNotEqualTo(EventType.DELETED);
            } else if (before.getEventType() != EventType.DELETED) {
              assertThat(now.getResourceVersion())
                  .as("%s published twice at rv %s", name, now.getResourceVersion())
                  .isNotEqualTo(before.getResourceVersion());
            }
          }
        });
  }

  @Test
  void aWatcherKilledAndRestartedLosesNothingAndRepeatsNothing() throws Exception {
    String ns = "recovery-kill";
    fixture.namespace(ns);
    Path log1 = dir.resolve("watcher-1.log");
    Process first = fixture.startProcess("kill", log1, ns);
    try (ChangeLog log = fixture.changeLog("kill")) {
      for (int i = 0; i < 20; i++) {
        put(ns, "cm-" + i, "v1");
      }
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(300))
          .until(() -> replay(log.poll(), ns).size() == 20);
      // a watcher in steady state: every informer watching, heartbeats advancing
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(300))
          .until(() -> log.poll().heartbeats().stream().anyMatch(h -> h.getSynced()));
      // changes flowing while it dies
      for (int i = 0; i < 10; i++) {
        put(ns, "cm-" + i, "v2");
      }
      first.destroyForcibly().waitFor();
      // while it is down: updates, deletes, creations
      for (int i = 5; i < 10; i++) {
        put(ns, "cm-" + i, "v3");
      }
      for (int i = 10; i < 15; i++) {
        kube.configMaps().inNamespace(ns).withName("cm-" + i).delete();
      }
      for (int i = 20; i < 25; i++) {
        put(ns, "cm-" + i, "new");
      }
      Process second = fixture.startProcess("kill", dir.resolve("watcher-2.log"), ns);
      try {
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(300))
            .until(() -> replay(log.poll(), ns).equals(live(ns)));
        // and it keeps recording as usual after the restart
        put(ns, "cm-0", "after");
        await().atMost(WAIT).until(() -> "after".equals(replay(log.poll(), ns).get("cm-0")));
        await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(5))
            .until(() -> replay(log.poll(), ns).equals(live(ns)));
      } finally {
        second.destroy();
        second.waitFor();
      }
      assertNothingTwice(log, ns);
      List<ChangeEnvelope> deleted =
          log.changes(c -> c.getNamespace().equals(ns) && c.getEventType() == EventType.DELETED);
      assertThat(deleted)
          .extracting(ChangeEnvelope::getName)
          .containsExactlyInAnyOrder("cm-10", "cm-11", "cm-12", "cm-13", "cm-14");
      assertThat(deleted)
          .allSatisfy(
              c -> {
                assertThat(c.getOrigin()).isEqualTo(Origin.RELIST);
                assertThat(c.getDeletedFinalStateUnknown()).isTrue();
                assertThat(value(c)).as("the final state known for %s", c.getName()).isNotEmpty();
              });
      assertThat(log.changesOf("ConfigMap", ns, "cm-20").get(0).getOrigin())
          .isEqualTo(Origin.RELIST);
      assertThat(log.gaps())
          .anyMatch(
              g -> g.getReason().equals("WATCHER_START") && g.getGapFrom().isBefore(g.getGapTo()));
      // untouched while down: exactly one record each, from the first run
      for (int i = 15; i < 20; i++) {
        assertThat(log.changesOf("ConfigMap", ns, "cm-" + i)).hasSize(1);
      }
    } finally {
      first.destroyForcibly();
      if (Files.exists(log1)) {
        System.out.println(
            Files.readString(log1).lines().filter(l -> l.contains("ERROR")).limit(20).toList());
      }
    }
  }

  @Test
  void etcdCompactedUnderARunningWatcherRelistsRecordsTheGapAndLosesNothing() throws Exception {
    String ns = "recovery-gone";
    fixture.namespace(ns);
    try (Watcher watcher = fixture.start("gone", ns);
        ChangeLog log = fixture.changeLog("gone")) {
      await().atMost(WAIT).until(watcher::ready);
      for (int i = 0; i < 10; i++) {
        put(ns, "cm-" + i, "v1");
      }
      await().atMost(WAIT).until(() -> replay(log.poll(), ns).size() == 10);

      // move etcd's revision past what the informers last saw, compact, and make every watch
      // reconnect: the API server answers 410 Gone and the informers relist
      kube.namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("recovery-bump")
                  .endMetadata()
                  .build())
          .create();
      server.compactEtcd(); // compacts, then restarts the API server so watches must reconnect
      for (int i = 0; i < 5; i++) {
        put(ns, "cm-" + i, "v2");
      }
      kube.configMaps().inNamespace(ns).withName("cm-9").delete();

      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(300))
          .until(() -> replay(log.poll(), ns).equals(live(ns)));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  log.poll().gaps().stream()
                      .anyMatch(
                          g ->
                              g.getReason().startsWith("WATCH_RELIST")
                                  && g.getResource().equals("/v1/configmaps")));
      await().atMost(WAIT).until(watcher::ready);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> replay(log.poll(), ns).equals(live(ns)));
      assertNothingTwice(log, ns);
      // heartbeats passed the gap only after it was recorded
      var gap =
          log.gaps().stream()
              .filter(g -> g.getResource().equals("/v1/configmaps"))
              .findFirst()
              .orElseThrow();
      int gapIndex =
          log.entries()
              .indexOf(
                  log.entries().stream()
                      .filter(e -> e.value().getBody() == gap)
                      .findFirst()
                      .orElseThrow());
      assertThat(log.entries().subList(0, gapIndex))
          .noneMatch(
              e ->
                  e.partition() == gap.getPartition()
                      && e.value().getBody() instanceof io.hindsight.schemas.avro.Heartbeat h
                      && h.getCompleteThrough().isAfter(gap.getGapFrom()));
    }
  }
}
