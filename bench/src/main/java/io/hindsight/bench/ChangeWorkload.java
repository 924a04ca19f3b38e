package io.hindsight.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.schemas.avro.Origin;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The changes of a simulated cluster, deterministic for a seed: first an ADDED for every object
 * (the watcher's initial list), then a few hot objects getting most of the changes (status-like
 * updates of a Deployment or custom resource, 1–3 KB) while most objects change rarely (a spec or
 * data change, now and then a delete and a re-creation under the same name with a new uid). Every
 * change is new to the streams-app's dedupe (new resourceVersion and content hash).
 *
 * <p>Objects are built from real manifests ({@link ManifestTemplates}: online-boutique Deployments
 * and Services, the mysql StatefulSet, sample-controller's CRD and Foo) and ConfigMaps shaped like
 * real ones ({@link ConfigMapMix}), with metadata, managedFields and status as the API server
 * serves them. Two size mixes:
 *
 * <ul>
 *   <li>{@link Mix#REALISTIC}: ConfigMaps 80% 0.5–4 KiB, 15% 4–32 KiB, 4.5% 32–256 KiB, 0.5% 256
 *       KiB–1.4 MiB; cluster-scoped CRDs 50% 4–64 KiB, 40% 64–512 KiB, 10% 512 KiB–1.4 MiB;
 *       Deployments, StatefulSets, Services and Foos at their manifests' size.
 *   <li>{@link Mix#SMALL}: ConfigMaps of 0.2–1 KiB of data, Services and Foos; hot Foos and
 *       Deployments: objects of ~1 KB mostly.
 * </ul>
 */
final class ChangeWorkload {
  enum Mix {
    REALISTIC,
    SMALL
  }

  /** A namespace and how many objects it holds. */
  record NamespaceSpec(String name, int objects) {}

  /**
   * What to simulate. {@code hotObjectShare} of the namespaced objects are hot and get {@code
   * hotChangeShare} of the changes after the initial list; a cold change is a delete with
   * probability {@code deleteShare} (the next change of a deleted object re-creates it).
   */
  record Config(
      String cluster,
      Mix mix,
      List<NamespaceSpec> namespaces,
      int clusterScoped,
      double hotObjectShare,
      double hotChangeShare,
      double deleteShare,
      long seed) {
    int objects() {
      return namespaces.stream().mapToInt(NamespaceSpec::objects).sum() + clusterScoped;
    }
  }

  /** The throughput and lag mix: 10 namespaces, 2% of the objects cluster-scoped CRDs. */
  static Config realistic(String cluster, int objects, long seed) {
    List<NamespaceSpec> namespaces = new ArrayList<>();
    int crds = Math.max(1, objects / 50);
    int namespaced = objects - crds;
    for (int i = 0; i < 10; i++) {
      namespaces.add(
          new NamespaceSpec(NAMESPACE_NAMES[i], namespaced / 10 + (i < namespaced % 10 ? 1 : 0)));
    }
    return new Config(cluster, Mix.REALISTIC, namespaces, crds, 0.05, 0.8, 0.02, seed);
  }

  /** The history mix: one big namespace plus {@code background} namespaces of {@code each}. */
  static Config history(
      String cluster, String big, int bigObjects, int background, int each, long seed) {
    List<NamespaceSpec> namespaces = new ArrayList<>();
    namespaces.add(new NamespaceSpec(big, bigObjects));
    for (int i = 0; i < background; i++) {
      namespaces.add(new NamespaceSpec(String.format("team-%02d", i), each));
    }
    return new Config(cluster, Mix.SMALL, namespaces, 0, 0.03, 0.8, 0.02, seed);
  }

  private static final String[] NAMESPACE_NAMES = {
    "shop",
    "payments",
    "search",
    "checkout",
    "identity",
    "monitoring",
    "ingress",
    "data",
    "ml",
    "batch"
  };
  private static final String[] DOC_WORDS = {
    "the",
    "name",
    "of",
    "a",
    "resource",
    "that",
    "this",
    "object",
    "refers",
    "to",
    "when",
    "set",
    "controller",
    "will",
    "use",
    "value",
    "default",
    "is",
    "must",
    "be",
    "in",
    "namespace",
    "same",
    "field",
    "specifies",
    "selector",
    "label",
    "pods",
    "container",
    "port",
    "number",
    "optional",
    "defaults",
    "empty",
    "list",
    "entries",
    "each",
    "key",
    "secret",
    "volume",
    "mount",
    "path",
    "policy",
    "template",
    "replicas",
    "desired",
    "status",
    "condition",
    "type",
    "reason",
    "more",
    "info",
    "https://kubernetes.io/docs/concepts",
    "deprecated",
    "cannot",
    "updated",
    "required"
  };
  private static final ObjectMapper JSON = new ObjectMapper();

  private enum Kind {
    DEPLOYMENT("apps/v1", "Deployment", true),
    STATEFULSET("apps/v1", "StatefulSet", true),
    SERVICE("v1", "Service", false),
    CONFIGMAP("v1", "ConfigMap", false),
    FOO("samplecontroller.k8s.io/v1alpha1", "Foo", true),
    CRD("apiextensions.k8s.io/v1", "CustomResourceDefinition", true);

    final String apiVersion;
    final String kind;
    final boolean hasGeneration;

    Kind(String apiVersion, String kind, boolean hasGeneration) {
      this.apiVersion = apiVersion;
      this.kind = kind;
      this.hasGeneration = hasGeneration;
    }
  }

  /** One simulated object and its current version. */
  private static final class SimObject {
    final Kind kind;
    final String namespace;
    final String name;
    final boolean hot;
    final int index;
    final int sizeTarget;
    final Map<String, String> labels;
    final String labelsJson;
    final int template;
    String uid;
    String created;
    String body;
    long generation;
    int revision;
    int status;
    int incarnation;
    boolean deleted;

    SimObject(
        Kind kind,
        String namespace,
        String name,
        boolean hot,
        int index,
        int sizeTarget,
        int template) {
      this.kind = kind;
      this.namespace = namespace;
      this.name = name;
      this.hot = hot;
      this.index = index;
      this.sizeTarget = sizeTarget;
      this.template = template;
      this.labels =
          Map.of(
              "app",
              name,
              "app.kubernetes.io/part-of",
              namespace.isEmpty() ? "platform" : namespace,
              "app.kubernetes.io/managed-by",
              "helm");
      try {
        this.labelsJson = JSON.writeValueAsString(labels);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final Config config;
  private final ManifestTemplates templates;
  private final SplittableRandom random;
  private final List<SimObject> objects = new ArrayList<>();
  private final List<SimObject> hot = new ArrayList<>();
  private final List<SimObject> cold = new ArrayList<>();
  private final int[] addOrder;
  private final MessageDigest sha256;
  private int added;
  private long resourceVersion = 100_000;
  private long changes;

  ChangeWorkload(Config config, ManifestTemplates templates) {
    this.config = config;
    this.templates = templates;
    this.random = new SplittableRandom(config.seed());
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    int index = 0;
    for (NamespaceSpec ns : config.namespaces()) {
      for (int i = 0; i < ns.objects(); i++) {
        boolean isHot = random.nextDouble() < config.hotObjectShare();
        add(newObject(ns.name(), isHot, index++));
      }
    }
    for (int i = 0; i < config.clusterScoped(); i++) {
      add(newObject("", false, index++));
    }
    addOrder = new int[objects.size()];
    for (int i = 0; i < addOrder.length; i++) {
      addOrder[i] = i;
    }
    for (int i = addOrder.length - 1; i > 0; i--) { // the initial list in a shuffled order
      int j = random.nextInt(i + 1);
      int t = addOrder[i];
      addOrder[i] = addOrder[j];
      addOrder[j] = t;
    }
  }

  private void add(SimObject object) {
    objects.add(object);
    (object.hot ? hot : cold).add(object);
  }

  Config config() {
    return config;
  }

  long changes() {
    return changes;
  }

  /** The next change, observed at {@code observedAt} (truncated to microseconds). */
  ChangeEnvelope next(Instant observedAt) {
    Instant at = observedAt.truncatedTo(ChronoUnit.MICROS);
    SimObject object;
    EventType type;
    if (added < addOrder.length) {
      object = objects.get(addOrder[added++]);
      create(object, at);
      type = EventType.ADDED;
    } else if (!hot.isEmpty()
        && (cold.isEmpty() || random.nextDouble() < config.hotChangeShare())) {
      object = hot.get(random.nextInt(hot.size()));
      object.status++;
      type = EventType.MODIFIED;
    } else {
      object = cold.get(random.nextInt(cold.size()));
      if (object.deleted) {
        object.incarnation++;
        create(object, at);
        type = EventType.ADDED;
      } else if (random.nextDouble() < config.deleteShare()) {
        object.deleted = true;
        type = EventType.DELETED;
      } else {
        object.revision++;
        object.generation++;
        type = EventType.MODIFIED;
      }
    }
    changes++;
    String rv = Long.toString(++resourceVersion);
    String json = render(object, rv, at);
    return new ChangeEnvelope(
        type,
        Origin.WATCH,
        config.cluster(),
        object.kind.apiVersion,
        object.kind.kind,
        object.namespace,
        object.name,
        object.uid,
        rv,
        object.kind.hasGeneration ? object.generation : null,
        at,
        json,
        hash(object),
        object.labels,
        false,
        null,
        "bench-run");
  }

  private void create(SimObject object, Instant at) {
    object.uid = new UUID(random.nextLong(), random.nextLong()).toString();
    object.created = at.truncatedTo(ChronoUnit.SECONDS).toString();
    object.generation = 1;
    object.revision = 0;
    object.deleted = false;
    if (object.body == null || object.kind == Kind.CONFIGMAP) {
      object.body = body(object);
    }
  }

  private SimObject newObject(String namespace, boolean isHot, int index) {
    Kind kind;
    if (namespace.isEmpty()) {
      kind = Kind.CRD;
    } else if (isHot) {
      double share = config.mix() == Mix.REALISTIC ? 0.6 : 0.3;
      kind = random.nextDouble() < share ? Kind.DEPLOYMENT : Kind.FOO;
    } else if (config.mix() == Mix.REALISTIC) {
      double r = random.nextDouble();
      kind =
          r < 0.50
              ? Kind.CONFIGMAP
              : r < 0.65
                  ? Kind.DEPLOYMENT
                  : r < 0.82 ? Kind.SERVICE : r < 0.87 ? Kind.STATEFULSET : Kind.FOO;
    } else {
      double r = random.nextDouble();
      kind = r < 0.60 ? Kind.CONFIGMAP : r < 0.85 ? Kind.SERVICE : Kind.FOO;
    }
    int template =
        switch (kind) {
          case DEPLOYMENT -> random.nextInt(templates.deployments().size());
          case SERVICE -> random.nextInt(templates.services().size());
          default -> 0;
        };
    String base =
        switch (kind) {
          case DEPLOYMENT -> templates.deployments().get(template).name();
          case SERVICE -> templates.services().get(template).name();
          case STATEFULSET -> "db";
          case CONFIGMAP -> "config";
          case FOO -> "foo";
          case CRD -> "widgets";
        };
    String name = kind == Kind.CRD ? base + index + ".bench.hindsight.io" : base + "-" + index;
    int size =
        switch (kind) {
          case CONFIGMAP ->
              config.mix() == Mix.SMALL
                  ? random.nextInt(200, 1001)
                  : drawSize(
                      new double[] {0.80, 0.15, 0.045, 0.005},
                      new int[] {512, 4 << 10, 32 << 10, 256 << 10, 1400 << 10});
          case CRD ->
              drawSize(
                  new double[] {0.5, 0.4, 0.1},
                  new int[] {4 << 10, 64 << 10, 512 << 10, 1400 << 10});
          default -> 0;
        };
    return new SimObject(kind, namespace, name, isHot, index, size, template);
  }

  /** A size log-uniform within a bucket drawn with the given shares ({@code bounds}: n+1 edges). */
  private int drawSize(double[] shares, int[] bounds) {
    double r = random.nextDouble();
    int bucket = 0;
    while (bucket < shares.length - 1 && r >= shares[bucket]) {
      r -= shares[bucket];
      bucket++;
    }
    double lo = Math.log(bounds[bucket]);
    double hi = Math.log(bounds[bucket + 1]);
    return (int) Math.exp(lo + random.nextDouble() * (hi - lo));
  }

  private String body(SimObject o) {
    return switch (o.kind) {
      case DEPLOYMENT -> templates.deployments().get(o.template).bodyFor(o.name);
      case SERVICE -> templates.services().get(o.template).bodyFor(o.name);
      case STATEFULSET -> templates.statefulSet().bodyFor(o.name);
      case FOO -> templates.foo().bodyFor(o.name);
      case CONFIGMAP -> configMapData(o);
      case CRD -> crdSpec(o);
    };
  }

  private String configMapData(SimObject o) {
    ConfigMapMix sized =
        new ConfigMapMix("sized", 0.0, o.sizeTarget, o.sizeTarget, config.seed() + o.incarnation);
    try {
      return "\"data\":" + JSON.writeValueAsString(sized.object(o.namespace, o.index).getData());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** sample-controller's CRD with as many documented spec fields as make the target size. */
  private String crdSpec(SimObject o) {
    try {
      ObjectNode doc = (ObjectNode) JSON.readTree("{" + templates.crd().bodyFor(o.name) + "}");
      ObjectNode spec = (ObjectNode) doc.path("spec");
      String plural = o.name.substring(0, o.name.indexOf('.'));
      spec.put("group", "bench.hindsight.io");
      ((ObjectNode) spec.path("names")).put("plural", plural).put("kind", "Widget" + o.index);
      JsonNode version = spec.path("versions").get(0);
      ObjectNode fields =
          (ObjectNode)
              version
                  .path("schema")
                  .path("openAPIV3Schema")
                  .path("properties")
                  .path("spec")
                  .path("properties");
      int size = doc.toString().length();
      int n = 0;
      while (size < o.sizeTarget) {
        StringBuilder description = new StringBuilder();
        int words = random.nextInt(8, 40);
        for (int w = 0; w < words; w++) {
          description.append(w == 0 ? "" : " ").append(DOC_WORDS[random.nextInt(DOC_WORDS.length)]);
        }
        String field =
            DOC_WORDS[random.nextInt(DOC_WORDS.length)].replaceAll("[^a-z]", "") + "Field" + n++;
        String type = random.nextInt(4) == 0 ? "integer" : "string";
        fields
            .putObject(field)
            .put("type", type)
            .put("description", description.append('.').toString());
        size += field.length() + description.length() + type.length() + 40;
      }
      String json = doc.toString();
      return json.substring(1, json.length() - 1);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String render(SimObject o, String rv, Instant at) {
    String now = at.truncatedTo(ChronoUnit.SECONDS).toString();
    StringBuilder out = new StringBuilder(o.body.length() + 1200);
    out.append("{\"apiVersion\":\"")
        .append(o.kind.apiVersion)
        .append("\",\"kind\":\"")
        .append(o.kind.kind)
        .append("\",\"metadata\":{\"name\":\"")
        .append(o.name)
        .append('"');
    if (!o.namespace.isEmpty()) {
      out.append(",\"namespace\":\"").append(o.namespace).append('"');
    }
    out.append(",\"uid\":\"")
        .append(o.uid)
        .append("\",\"resourceVersion\":\"")
        .append(rv)
        .append('"');
    if (o.kind.hasGeneration) {
      out.append(",\"generation\":").append(o.generation);
    }
    out.append(",\"creationTimestamp\":\"")
        .append(o.created)
        .append("\",\"labels\":")
        .append(o.labelsJson)
        .append(",\"annotations\":{\"meta.helm.sh/release-name\":\"")
        .append(o.namespace.isEmpty() ? "platform" : o.namespace)
        .append("\",\"hindsight.bench/revision\":\"")
        .append(o.revision)
        .append(
            "\"},\"managedFields\":[{\"manager\":\"helm\",\"operation\":\"Update\",\"apiVersion\":\"")
        .append(o.kind.apiVersion)
        .append("\",\"time\":\"")
        .append(o.created)
        .append(
            "\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:annotations\":{\".\":{},"
                + "\"f:meta.helm.sh/release-name\":{}},\"f:labels\":{\".\":{},\"f:app\":{},"
                + "\"f:app.kubernetes.io/managed-by\":{},\"f:app.kubernetes.io/part-of\":{}}}}}");
    if (o.hot) {
      out.append(",{\"manager\":\"")
          .append(o.kind == Kind.DEPLOYMENT ? "kube-controller-manager" : "sample-controller")
          .append("\",\"operation\":\"Update\",\"apiVersion\":\"")
          .append(o.kind.apiVersion)
          .append("\",\"time\":\"")
          .append(now)
          .append(
              "\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:status\":{\"f:availableReplicas\":{},"
                  + "\"f:conditions\":{},\"f:observedGeneration\":{},\"f:readyReplicas\":{}}},"
                  + "\"subresource\":\"status\"}");
    }
    out.append("]},").append(o.body);
    switch (o.kind) {
      case DEPLOYMENT -> deploymentStatus(out, o, now);
      case STATEFULSET -> statefulSetStatus(out, o);
      case FOO -> fooStatus(out, o, now);
      default -> {}
    }
    return out.append('}').toString();
  }

  private static void deploymentStatus(StringBuilder out, SimObject o, String now) {
    int ready = 2 + (o.status % 2);
    out.append(",\"status\":{\"observedGeneration\":")
        .append(o.generation)
        .append(",\"replicas\":3,\"updatedReplicas\":3,\"readyReplicas\":")
        .append(ready)
        .append(",\"availableReplicas\":")
        .append(ready)
        .append(",\"unavailableReplicas\":")
        .append(3 - ready)
        .append(
            ",\"conditions\":[{\"type\":\"Available\",\"status\":\"True\",\"lastUpdateTime\":\"")
        .append(now)
        .append("\",\"lastTransitionTime\":\"")
        .append(o.created)
        .append(
            "\",\"reason\":\"MinimumReplicasAvailable\",\"message\":\"Deployment has minimum"
                + " availability.\"},{\"type\":\"Progressing\",\"status\":\"True\",\"lastUpdateTime\":\"")
        .append(now)
        .append("\",\"lastTransitionTime\":\"")
        .append(o.created)
        .append("\",\"reason\":\"NewReplicaSetAvailable\",\"message\":\"ReplicaSet \\\"")
        .append(o.name)
        .append('-')
        .append(Integer.toHexString(0x5d8f6c7 + o.revision))
        .append("\\\" has successfully progressed.\"}]}");
  }

  private static void statefulSetStatus(StringBuilder out, SimObject o) {
    String revision = o.name + "-" + Integer.toHexString(0x7c9b5d4 + o.revision);
    out.append(",\"status\":{\"observedGeneration\":")
        .append(o.generation)
        .append(",\"replicas\":3,\"readyReplicas\":")
        .append(2 + (o.status % 2))
        .append(",\"currentReplicas\":3,\"updatedReplicas\":3,\"currentRevision\":\"")
        .append(revision)
        .append("\",\"updateRevision\":\"")
        .append(revision)
        .append("\",\"collisionCount\":0}");
  }

  private static void fooStatus(StringBuilder out, SimObject o, String now) {
    out.append(",\"status\":{\"availableReplicas\":")
        .append(1 + (o.status % 3))
        .append(",\"observedGeneration\":")
        .append(o.generation)
        .append(
            ",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"")
        .append(now)
        .append("\",\"reason\":\"DeploymentAvailable\",\"message\":\"Deployment ")
        .append(o.name)
        .append(" has ")
        .append(1 + (o.status % 3))
        .append(" available replicas\"}]}");
  }

  /** SHA-256 of what identifies the content (the watcher hashes the canonical JSON). */
  private String hash(SimObject o) {
    String content = o.uid + '/' + o.generation + '/' + o.revision + '/' + o.status;
    return HexFormat.of().formatHex(sha256.digest(content.getBytes(StandardCharsets.UTF_8)));
  }
}
