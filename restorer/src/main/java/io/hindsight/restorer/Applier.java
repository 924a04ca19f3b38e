package io.hindsight.restorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.hindsight.restorer.RestoreOrder.PriorityClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply stage: server-side apply (field manager {@code hindsight}) of each priority class in
 * order, the objects of one class in parallel. An object that exists already is skipped, applied
 * over or replaced by the {@link ExistingPolicy}; under dry-run every write is a server-side dry
 * run and the result is diffed against the live object. Objects of kinds the target does not serve
 * fail alone. CRDs are awaited until Established, then discovery is read again.
 */
final class Applier {
  static final String FIELD_MANAGER = "hindsight";
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
  private static final Duration ESTABLISHED_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration GONE_TIMEOUT = Duration.ofSeconds(60);

  /** How to apply. */
  record Settings(ExistingPolicy policy, boolean forceConflicts, boolean dryRun, int parallelism) {}

  private final KubernetesClient client;
  private final TargetResources target;
  private final RecordedResources recorded;
  private final Settings settings;
  private final ProgressListener progress;
  private final Warnings warnings;
  private final LiveObjects live;
  private final Map<String, String> appliedUids = new ConcurrentHashMap<>();

  Applier(
      KubernetesClient client,
      TargetResources target,
      RecordedResources recorded,
      Settings settings,
      ProgressListener progress,
      Warnings warnings) {
    this.client = client;
    this.target = target;
    this.recorded = recorded;
    this.settings = settings;
    this.progress = progress;
    this.warnings = warnings;
    this.live = new LiveObjects(client);
  }

  LiveObjects live() {
    return live;
  }

  List<ObjectResult> apply(List<PriorityClass> classes, String targetNamespace) {
    List<ObjectResult> results = new ArrayList<>();
    boolean namespaceMissing = client.namespaces().withName(targetNamespace).get() == null;
    ExecutorService pool =
        Executors.newFixedThreadPool(
            settings.parallelism(),
            r -> {
              Thread t = new Thread(r, "hindsight-apply");
              t.setDaemon(true);
              return t;
            });
    try {
      for (PriorityClass priorityClass : classes) {
        List<Future<ObjectResult>> futures = new ArrayList<>();
        for (RestoreObject item : priorityClass.objects()) {
          boolean noServerDryRun =
              settings.dryRun() && namespaceMissing && !item.namespace().isEmpty();
          futures.add(pool.submit(() -> applyOne(item, noServerDryRun)));
        }
        List<ObjectResult> done = new ArrayList<>();
        for (Future<ObjectResult> future : futures) {
          ObjectResult result = future.get();
          done.add(result);
          progress.done(result);
        }
        results.addAll(done);
        if (!settings.dryRun()
            && priorityClass.objects().stream()
                .anyMatch(o -> o.kindRef().matches(ObjectSelector.CRD))) {
          awaitEstablished(done);
          target.refresh();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while applying", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("applying failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return results;
  }

  private ObjectResult applyOne(RestoreObject item, boolean noServerDryRun) {
    KindRef kind = item.kindRef();
    var served = target.find(kind);
    if (served.isEmpty()) {
      if (settings.dryRun() && recorded.recordedOnly(kind)) {
        return ObjectResult.of(
            item,
            Outcome.CREATED,
            "its kind is defined by a CRD this restore creates: no server dry-run");
      }
      return ObjectResult.of(
          item,
          Outcome.FAILED,
          "the target cluster does not serve " + kind + " (" + item.apiVersion() + ")");
    }
    ServedResource type = served.get();
    if (!type.serves(item.apiVersion())) {
      return ObjectResult.of(
          item,
          Outcome.FAILED,
          "the target serves "
              + kind
              + " as "
              + versions(type)
              + ", not "
              + item.apiVersion()
              + "; change apiVersion with a resource modifier if the object fits that version");
    }
    String namespace = type.namespaced() ? item.namespace() : null;
    if (type.namespaced() && item.namespace().isEmpty()) {
      return ObjectResult.of(
          item,
          Outcome.FAILED,
          kind + " is namespaced on the target but was recorded cluster-scoped");
    }
    if (!type.namespaced()) {
      item.metadata().remove("namespace");
    }
    try {
      GenericKubernetesResource current = live.get(type, namespace, item.name());
      if (noServerDryRun) {
        return ObjectResult.of(
            item,
            current == null ? Outcome.CREATED : Outcome.SKIPPED,
            "namespace " + item.namespace() + " does not exist yet: no server dry-run");
      }
      rewriteOwners(item);
      GenericKubernetesResource desired =
          JsonTrees.JSON.convertValue(item.object(), GenericKubernetesResource.class);
      Resource<GenericKubernetesResource> resource = resource(type, item, namespace, desired);
      ObjectResult result;
      if (current == null) {
        GenericKubernetesResource out = apply(resource, false);
        remember(item, out);
        result =
            ObjectResult.of(
                item,
                Outcome.CREATED,
                "",
                settings.dryRun()
                    ? List.of("+ new object, " + FieldDiff.leaves(clean(out)) + " fields")
                    : List.of());
      } else {
        result =
            switch (settings.policy()) {
              case NONE -> skip(item, resource, current);
              case UPDATE -> update(item, resource, current);
              case REPLACE -> replace(item, type, namespace, desired, current);
            };
      }
      return result;
    } catch (KubernetesClientException e) {
      return ObjectResult.of(item, Outcome.FAILED, reason(e));
    } catch (RuntimeException e) {
      LOG.debug("applying {} failed", item.target(), e);
      return ObjectResult.of(
          item, Outcome.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private ObjectResult skip(
      RestoreObject item,
      Resource<GenericKubernetesResource> resource,
      GenericKubernetesResource current) {
    remember(item, current);
    String reason = "exists (existing-policy none)";
    if (!settings.dryRun()) {
      return ObjectResult.of(item, Outcome.SKIPPED, reason);
    }
    GenericKubernetesResource would =
        resource.dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    List<String> diff = FieldDiff.between(clean(current), clean(would));
    return ObjectResult.of(
        item,
        Outcome.SKIPPED,
        diff.isEmpty() ? reason + ", same as at T" : reason + ", differs from T:",
        diff);
  }

  private ObjectResult update(
      RestoreObject item,
      Resource<GenericKubernetesResource> resource,
      GenericKubernetesResource current) {
    try {
      GenericKubernetesResource out = apply(resource, settings.forceConflicts());
      remember(item, out);
      List<String> diff = FieldDiff.between(clean(current), clean(out));
      return ObjectResult.of(item, Outcome.UPDATED, diff.isEmpty() ? "no change" : "", diff);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return ObjectResult.of(
            item,
            Outcome.FAILED,
            "apply conflict: "
                + oneLine(e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage())
                + " (drop --no-force-conflicts to take these fields over)");
      }
      throw e;
    }
  }

  private ObjectResult replace(
      RestoreObject item,
      ServedResource type,
      String namespace,
      GenericKubernetesResource desired,
      GenericKubernetesResource current) {
    GenericKubernetesResource live = current;
    for (int attempt = 1; ; attempt++) {
      keepAssigned(item, JsonTrees.JSON.valueToTree(live));
      item.metadata().put("resourceVersion", live.getMetadata().getResourceVersion());
      GenericKubernetesResource put =
          JsonTrees.JSON.convertValue(item.object(), GenericKubernetesResource.class);
      Resource<GenericKubernetesResource> resource = resource(type, item, namespace, put);
      try {
        GenericKubernetesResource out =
            settings.dryRun() ? resource.dryRun().update() : resource.update();
        remember(item, out);
        return ObjectResult.of(
            item, Outcome.REPLACED, "", FieldDiff.between(clean(current), clean(out)));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && attempt < 5) {
          // a controller wrote the object (its status) since it was read: read it again
          GenericKubernetesResource again = resource(type, item, namespace, put).get();
          if (again == null) {
            item.metadata().remove("resourceVersion");
            GenericKubernetesResource fresh =
                JsonTrees.JSON.convertValue(item.object(), GenericKubernetesResource.class);
            GenericKubernetesResource out = apply(resource(type, item, namespace, fresh), false);
            remember(item, out);
            return ObjectResult.of(item, Outcome.CREATED, "deleted by someone else meanwhile");
          }
          live = again;
          continue;
        }
        if (e.getCode() != 422) {
          throw e;
        }
        return recreate(
            item, type, namespace, live, "the server refused the update (" + reason(e) + ")");
      }
    }
  }

  /** Deletes {@code live} and creates the recorded object instead (immutable fields changed). */
  private ObjectResult recreate(
      RestoreObject item,
      ServedResource type,
      String namespace,
      GenericKubernetesResource live,
      String why) {
    if (settings.dryRun()) {
      return ObjectResult.of(item, Outcome.REPLACED, "would delete and recreate: " + why);
    }
    resource(type, item, namespace, live)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    awaitGone(type, namespace, item.name(), live.getMetadata().getUid());
    item.metadata().remove("resourceVersion");
    GenericKubernetesResource fresh =
        JsonTrees.JSON.convertValue(item.object(), GenericKubernetesResource.class);
    GenericKubernetesResource out = apply(resource(type, item, namespace, fresh), false);
    remember(item, out);
    return ObjectResult.of(item, Outcome.REPLACED, "deleted and recreated: " + why);
  }

  private Resource<GenericKubernetesResource> resource(
      ServedResource type, RestoreObject item, String namespace, GenericKubernetesResource object) {
    String version = item.apiVersion().substring(item.apiVersion().indexOf('/') + 1);
    var op = client.genericKubernetesResources(type.context(version));
    return namespace == null ? op.resource(object) : op.inNamespace(namespace).resource(object);
  }

  private GenericKubernetesResource apply(
      Resource<GenericKubernetesResource> resource, boolean force) {
    var apply =
        settings.dryRun()
            ? resource.dryRun().fieldManager(FIELD_MANAGER)
            : resource.fieldManager(FIELD_MANAGER);
    return force ? apply.forceConflicts().serverSideApply() : apply.serverSideApply();
  }

  private void remember(RestoreObject item, GenericKubernetesResource out) {
    if (!settings.dryRun() && out != null && out.getMetadata() != null) {
      appliedUids.put(
          ownerKey(item.kindRef().group(), item.kind(), item.namespace(), item.name()),
          out.getMetadata().getUid());
    }
  }

  private static String ownerKey(String group, String kind, String namespace, String name) {
    return group + "/" + kind + "/" + namespace + "/" + name;
  }

  /**
   * Points owner references at the owners' uids in the target: owners restored before (earlier
   * classes) or living there already. References to owners the target lacks are dropped — the
   * garbage collector would delete an object whose owner does not exist.
   */
  private void rewriteOwners(RestoreObject item) {
    ArrayNode refs = JsonTrees.array(item.object(), "metadata", "ownerReferences");
    if (refs == null) {
      return;
    }
    for (int i = refs.size() - 1; i >= 0; i--) {
      ObjectNode ref = (ObjectNode) refs.get(i);
      String group = KindRef.groupOf(ref.path("apiVersion").asText());
      String kind = ref.path("kind").asText();
      String name = ref.path("name").asText();
      String uid = appliedUids.get(ownerKey(group, kind, item.namespace(), name));
      if (uid == null && !settings.dryRun()) {
        var ownerType = target.find(new KindRef(group, kind));
        if (ownerType.isPresent()) {
          GenericKubernetesResource owner =
              live.get(
                  ownerType.get(), ownerType.get().namespaced() ? item.namespace() : null, name);
          uid = owner == null ? null : owner.getMetadata().getUid();
        }
      }
      if (uid == null) {
        refs.remove(i);
        if (!settings.dryRun()) {
          warnings.add(
              item.kindRef().toString(),
              item.namespace()
                  + "/"
                  + item.name()
                  + ": owner reference to "
                  + kind
                  + " "
                  + name
                  + " dropped (no such owner in the target)");
        }
      } else {
        ref.put("uid", uid);
      }
    }
    if (refs.isEmpty()) {
      item.metadata().remove("ownerReferences");
    }
  }

  /** Copies what the server assigned and will not change on update (PUT needs them). */
  private static void keepAssigned(RestoreObject item, JsonNode current) {
    ObjectNode object = item.object();
    KindRef kind = item.kindRef();
    ObjectNode spec = JsonTrees.object(object, "spec");
    JsonNode liveSpec = current.path("spec");
    if (spec == null) {
      return;
    }
    if (kind.matches(new KindRef("", "Service"))) {
      for (String field : List.of("clusterIP", "clusterIPs", "healthCheckNodePort")) {
        if (!spec.has(field) && liveSpec.has(field)) {
          spec.set(field, liveSpec.get(field));
        }
      }
      JsonTrees.forEachObject(
          spec,
          port -> {
            if (!port.has("nodePort")) {
              for (JsonNode livePort : liveSpec.path("ports")) {
                if (livePort.path("port").asInt() == port.path("port").asInt()
                    && livePort.has("nodePort")) {
                  port.set("nodePort", livePort.get("nodePort"));
                }
              }
            }
          },
          "ports");
    } else if (kind.matches(new KindRef("", "PersistentVolumeClaim"))
        && !spec.has("volumeName")
        && liveSpec.has("volumeName")) {
      spec.set("volumeName", liveSpec.get("volumeName"));
    } else if (kind.matches(new KindRef("batch", "Job"))
        && !spec.has("selector")
        && liveSpec.has("selector")) {
      spec.set("selector", liveSpec.get("selector"));
      ObjectNode labels = JsonTrees.object(spec, "template", "metadata", "labels");
      JsonNode liveLabels = liveSpec.path("template").path("metadata").path("labels");
      if (labels != null) {
        liveLabels.fields().forEachRemaining(e -> labels.putIfAbsent(e.getKey(), e.getValue()));
      }
    }
  }

  private void awaitGone(ServedResource type, String namespace, String name, String uid) {
    long deadline = System.nanoTime() + GONE_TIMEOUT.toNanos();
    var op = client.genericKubernetesResources(type.context(type.versions().get(0)));
    while (System.nanoTime() < deadline) {
      GenericKubernetesResource now =
          namespace == null
              ? op.withName(name).get()
              : op.inNamespace(namespace).withName(name).get();
      if (now == null || !uid.equals(now.getMetadata().getUid())) {
        return;
      }
      pause(100);
    }
    throw new IllegalStateException(
        type.kind()
            + " "
            + name
            + " still exists "
            + GONE_TIMEOUT.toSeconds()
            + " s after its delete (finalizers?)");
  }

  private void awaitEstablished(List<ObjectResult> crds) {
    var api = client.apiextensions().v1().customResourceDefinitions();
    for (ObjectResult crd : crds) {
      if (crd.outcome() == Outcome.FAILED
          || crd.outcome() == Outcome.SKIPPED && crd.reason().isEmpty()) {
        continue;
      }
      long deadline = System.nanoTime() + ESTABLISHED_TIMEOUT.toNanos();
      boolean established = false;
      while (!established && System.nanoTime() < deadline) {
        established = established(api.withName(crd.name()).get());
        if (!established) {
          pause(100);
        }
      }
      if (!established) {
        warnings.add(
            crd.kind(),
            crd.name()
                + ": not Established after "
                + ESTABLISHED_TIMEOUT.toSeconds()
                + " s; its custom resources may fail");
      }
    }
  }

  /**
   * Whether the API server reports {@code crd} Established. Right after a create its status may
   * exist with no conditions yet (seen on kube-apiserver 1.20: a restore failed with a
   * NullPointerException here).
   */
  static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // polling the server; no watch is worth it for one object
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The object without the server's bookkeeping, for diffs. */
  static JsonNode clean(GenericKubernetesResource object) {
    ObjectNode tree = JsonTrees.JSON.valueToTree(object);
    ObjectNode meta = JsonTrees.object(tree, "metadata");
    if (meta != null) {
      FieldDiff.IGNORED.stream()
          .filter(p -> p.startsWith("metadata."))
          .forEach(p -> meta.remove(p.substring(9)));
    }
    tree.remove("status");
    return tree;
  }

  private static String versions(ServedResource type) {
    return type.versions().stream()
        .map(v -> type.kind().group().isEmpty() ? v : type.kind().group() + "/" + v)
        .toList()
        .toString();
  }

  /** One line: the HTTP code and the server's message. */
  static String reason(KubernetesClientException e) {
    String message =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + oneLine(message);
  }

  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\n\\s*", "; ").trim();
  }
}
