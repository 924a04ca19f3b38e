package io.hindsight.restorer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.hindsight.history.HistoryException;
import io.hindsight.history.ObjectId;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;
import io.hindsight.history.StoredObject;
import io.hindsight.schemas.sealing.SecretSealer;
import io.hindsight.testing.TestData;
import io.hindsight.testing.kube.ServedTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * "The state at T" for tests: the objects a real API server holds, read back and turned into {@link
 * StoredObject}s exactly as the watcher records them (the served JSON, Secret values sealed with
 * {@link SecretSealer}). Also applies the shared test-data manifests.
 */
final class ServedState implements StateSource {
  static final ObjectMapper JSON = new ObjectMapper();

  private final List<StoredObject> objects;
  private final Instant at;

  ServedState(List<StoredObject> objects, Instant at) {
    this.objects = List.copyOf(objects);
    this.at = at;
  }

  List<StoredObject> objects() {
    return objects;
  }

  Instant at() {
    return at;
  }

  @Override
  public State stateAt(StateQuery query) {
    String ns = query.namespace().orElseThrow();
    List<StoredObject> selected =
        objects.stream().filter(o -> o.id().namespace().equals(ns)).toList();
    if (!ns.isEmpty() && selected.isEmpty()) {
      throw new HistoryException(
          HistoryException.Reason.UNKNOWN_NAMESPACE,
          "namespace " + ns + " never appears in the history");
    }
    return new State("test", query.at(), at, selected, 0, selected.size());
  }

  /** A copy without the objects {@code drop} names ({@code Kind/namespace/name}). */
  ServedState without(String... drop) {
    List<String> names = List.of(drop);
    return new ServedState(
        objects.stream()
            .filter(
                o ->
                    !names.contains(o.id().kind() + "/" + o.id().namespace() + "/" + o.id().name()))
            .toList(),
        at);
  }

  ServedState plus(StoredObject extra) {
    List<StoredObject> more = new ArrayList<>(objects);
    more.add(extra);
    return new ServedState(more, at);
  }

  /** Records everything in {@code namespaces} and every cluster-scoped object. */
  static ServedState record(KubernetesClient client, SecretSealer sealer, String... namespaces) {
    List<StoredObject> recorded = new ArrayList<>();
    for (ResourceDefinitionContext type : ServedTypes.listable(client)) {
      List<GenericKubernetesResource> items = new ArrayList<>();
      try {
        if (type.isNamespaceScoped()) {
          for (String ns : namespaces) {
            items.addAll(client.genericKubernetesResources(type).inNamespace(ns).list().getItems());
          }
        } else {
          items.addAll(client.genericKubernetesResources(type).list().getItems());
        }
      } catch (KubernetesClientException e) {
        continue; // not listable after all (e.g. an aggregated API without its server)
      }
      for (GenericKubernetesResource item : items) {
        recorded.add(stored(type, item, sealer));
      }
    }
    return new ServedState(recorded, Instant.now());
  }

  static StoredObject stored(
      ResourceDefinitionContext type, GenericKubernetesResource item, SecretSealer sealer) {
    ObjectNode tree = JSON.valueToTree(item);
    boolean secret = type.getGroup().isEmpty() && type.getKind().equals("Secret");
    if (secret) {
      sealer.seal(tree);
    }
    var meta = item.getMetadata();
    return new StoredObject(
        new ObjectId(
            "test",
            type.getGroup(),
            type.getKind(),
            meta.getNamespace() == null ? "" : meta.getNamespace(),
            meta.getName()),
        item.getApiVersion(),
        meta.getUid(),
        meta.getResourceVersion(),
        meta.getGeneration(),
        Instant.now(),
        tree.toString(),
        "",
        meta.getLabels(),
        secret ? sealer.activeKeyId() : null,
        0,
        0L);
  }

  static void namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  /** Creates the objects of a test-data manifest (all its documents) into {@code namespace}. */
  static List<HasMetadata> apply(KubernetesClient client, String manifest, String namespace) {
    return apply(client, manifest, namespace, Map.of());
  }

  /** Same, after replacing each key of {@code replace} by its value in the manifest's text. */
  static List<HasMetadata> apply(
      KubernetesClient client, String manifest, String namespace, Map<String, String> replace) {
    try {
      String text = Files.readString(TestData.path(manifest));
      for (var e : replace.entrySet()) {
        text = text.replace(e.getKey(), e.getValue());
      }
      List<HasMetadata> items =
          client.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).items();
      List<HasMetadata> applied = new ArrayList<>();
      for (HasMetadata item : items) {
        var resource =
            namespace == null
                ? client.resource(item)
                : client.resource(item).inNamespace(namespace);
        // created, not server-side applied: 1.20's apply refuses Service ports without a protocol
        applied.add(resource.create());
      }
      return applied;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Path write(Path dir, String name, String text) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve(name), text);
  }
}
