package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.hindsight.watcher.Observation.ObjectEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Informer callbacks become observations, in order, with resyncs told apart from updates and
 * filtered namespaces dropped. fabric8's mock server (CRUD mode) is enough for plain informer
 * sequences; relists, 410 and discovery are tested against the real API server.
 */
@EnableKubernetesMockClient(crud = true)
class InformerHandlerTest {
  private static final ResourceType CONFIGMAPS =
      new ResourceType("", "v1", "ConfigMap", "configmaps", true);
  // the mock server is shared by the class: tests use their own namespaces
  static KubernetesClient client;

  private ObservationQueue queue;

  private SharedIndexInformer<GenericKubernetesResource> informer(long resyncMs) throws Exception {
    queue = new ObservationQueue(1000, Clock.systemUTC());
    ResourceFilter filter =
        ResourceFilter.of(new WatcherConfig(Map.of(WatcherConfig.NAMESPACES_EXCLUDE, "ignored")));
    SharedIndexInformer<GenericKubernetesResource> informer =
        client
            .genericKubernetesResources(CONFIGMAPS.context())
            .inAnyNamespace()
            .runnableInformer(resyncMs);
    informer.addEventHandler(new InformerHandler(CONFIGMAPS, filter, queue, null));
    informer.start().toCompletableFuture().get();
    return informer;
  }

  private List<ObjectEvent> drainUntil(
      java.util.function.Predicate<ObjectEvent> wanted, int count) {
    List<ObjectEvent> events = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              List<Observation.Stamped> out = new ArrayList<>();
              queue.drain(out, 100, 50);
              out.stream()
                  .map(s -> (ObjectEvent) s.observation())
                  .filter(wanted)
                  .forEach(events::add);
              return events.size() >= count;
            });
    return events;
  }

  private void create(String ns, String name) {
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToData("k", "1")
                .build())
        .create();
  }

  @Test
  void addsUpdatesAndDeletesArriveInOrderAndFilteredNamespacesNever() throws Exception {
    var informer = informer(0);
    try {
      create("ignored", "b");
      create("shop", "a");
      client
          .configMaps()
          .inNamespace("shop")
          .withName("a")
          .edit(c -> new ConfigMapBuilder(c).addToData("k", "2").build());
      client.configMaps().inNamespace("shop").withName("a").delete();

      // other tests' objects may be listed too: look at this test's namespace
      List<ObjectEvent> events =
          drainUntil(e -> !e.object().getMetadata().getNamespace().equals("resync"), 3);
      assertThat(events)
          .extracting(ObjectEvent::kind)
          .containsExactly(ObjectEvent.Kind.ADD, ObjectEvent.Kind.UPDATE, ObjectEvent.Kind.DELETE);
      assertThat(events).allMatch(e -> e.object().getMetadata().getNamespace().equals("shop"));
      assertThat(events).allMatch(e -> e.object().getMetadata().getName().equals("a"));
      // the update carries the state before it, so a resync (same resourceVersion) can be told
      // apart
      assertThat(events.get(1).previous().getMetadata().getResourceVersion())
          .isNotEqualTo(events.get(1).object().getMetadata().getResourceVersion());
    } finally {
      informer.stop();
    }
  }

  @Test
  void aResyncIsNotAnUpdate() throws Exception {
    var informer = informer(300);
    try {
      create("resync", "r");
      List<ObjectEvent> events =
          drainUntil(e -> e.object().getMetadata().getNamespace().equals("resync"), 2);
      assertThat(events.get(0).kind()).isEqualTo(ObjectEvent.Kind.ADD);
      assertThat(events.subList(1, events.size()))
          .extracting(ObjectEvent::kind)
          .containsOnly(ObjectEvent.Kind.RESYNC);
    } finally {
      informer.stop();
    }
  }
}
