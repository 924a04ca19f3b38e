package io.hindsight.testhistories;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hindsight.schemas.avro.ChangeEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.catalog.Catalog;

/**
 * One scripted morning of cluster {@value #CLUSTER}, on 2026-03-02 (UTC), from the real manifests
 * of the shared testdata folder:
 *
 * <ul>
 *   <li>08:00 Online Boutique v0.7.0 (12 Deployments, 12 Services) applied to {@code boutique};
 *       kube-controller-manager records each Deployment unavailable (08:02), then available (08:04)
 *   <li>08:30 MySQL (ConfigMap, two Services, StatefulSet of 3) in {@code mysql}, ready one by one
 *   <li>08:40 kube-state-metrics in {@code kube-system} with its ClusterRole and ClusterRoleBinding
 *   <li>08:44 the Foo CRD of sample-controller, 08:45 {@code example-foo} in {@code default}
 *   <li>09:10 frontend image v0.7.0 → v0.8.0 ({@code kubectl set image}), rolled out by 09:12
 *   <li>09:20 cartservice scaled 1 → 3, available 09:23
 *   <li>09:30 the MySQL ConfigMap edited; 09:40 adservice's memory limit edited, rolled out 09:41
 *   <li>09:50 example-foo edited (replicas 1 → 2)
 *   <li>10:00 the MySQL StatefulSet scaled 3 → 5, ready by 10:02
 *   <li>10:05 recommendationservice (Deployment and Service) deleted; 10:15 re-created (new uids),
 *       available 10:17
 *   <li>10:20 the kube-state-metrics ClusterRole edited; 10:40 loadgenerator deleted for good;
 *       10:50 example-foo deleted
 *   <li>11:10 frontend v0.8.0 → v0.9.0, available 11:12; 11:30 rolled back to v0.8.0, available
 *       11:31
 *   <li>11:45 redis-cart labelled {@code tier=cache} (metadata only)
 * </ul>
 *
 * History is complete through {@link #END} (12:00). Written with checkpoints every hour of business
 * time, as the streams-app's default.
 */
public final class ScriptedHistory {
  public static final String CLUSTER = "demo";
  public static final Instant DAY = Instant.parse("2026-03-02T00:00:00Z");
  public static final Instant START = at("07:50:00");
  public static final Instant END = at("12:00:00");
  public static final int PARTITIONS = 3;
  public static final Duration CHECKPOINT_INTERVAL = Duration.ofHours(1);
  public static final Duration HEARTBEAT_INTERVAL = Duration.ofMinutes(10);

  /** Rows become visible (one commit per table) with every third heartbeat, and at the end. */
  public static final int HEARTBEATS_PER_COMMIT = 3;

  public static final String BOUTIQUE = "boutique";
  public static final String MYSQL = "mysql";
  public static final String KUBE_SYSTEM = "kube-system";
  public static final String DEFAULT = "default";

  private static final String KCM = "kube-controller-manager";
  private static final String APPLY = "kubectl-client-side-apply";
  private static final String IMAGE = "gcr.io/google-samples/microservices-demo/";

  private final ScriptedCluster cluster = new ScriptedCluster(CLUSTER);

  private ScriptedHistory() {}

  /** {@code hh:mm:ss} on {@link #DAY}. */
  public static Instant at(String time) {
    return Instant.parse("2026-03-02T" + time + "Z");
  }

  /** The script, run: its steps and envelopes in order. */
  public static ScriptedHistory build() {
    ScriptedHistory history = new ScriptedHistory();
    history.script();
    return history;
  }

  public List<Step> steps() {
    return cluster.steps();
  }

  public List<ChangeEnvelope> envelopes() {
    return cluster.envelopes();
  }

  /**
   * Writes the history into {@code catalog} (tables created if missing), with a synced heartbeat
   * every {@link #HEARTBEAT_INTERVAL} from {@link #START} through {@link #END} and a commit round
   * every {@link #HEARTBEATS_PER_COMMIT} heartbeats and at the end.
   */
  public void writeTo(Catalog catalog) {
    HistoryWriter writer = new HistoryWriter(catalog, CLUSTER, PARTITIONS, CHECKPOINT_INTERVAL);
    Instant heartbeat = START;
    int beats = 0;
    for (ChangeEnvelope e : envelopes()) {
      while (heartbeat.isBefore(e.getObservedAt())) {
        writer.heartbeat(heartbeat);
        if (++beats % HEARTBEATS_PER_COMMIT == 0) {
          writer.commit();
        }
        heartbeat = heartbeat.plus(HEARTBEAT_INTERVAL);
      }
      writer.change(e);
    }
    while (!heartbeat.isAfter(END)) {
      writer.heartbeat(heartbeat);
      heartbeat = heartbeat.plus(HEARTBEAT_INTERVAL);
    }
    writer.commit();
  }

  private void script() {
    List<ObjectNode> boutique = Manifests.load("online-boutique/v0.7.0.yaml");
    List<String> deployments = new ArrayList<>();
    Instant t = at("08:00:00");
    for (ObjectNode manifest : boutique) {
      cluster.create(t, BOUTIQUE, manifest, APPLY);
      if (manifest.get("kind").asText().equals("Deployment")) {
        deployments.add(manifest.at("/metadata/name").asText());
      }
      t = t.plusSeconds(5);
    }
    t = at("08:02:00");
    for (String d : deployments) {
      deploymentStatus(t, BOUTIQUE, d, 1, 1, 0, false);
      t = t.plusSeconds(5);
    }
    t = at("08:04:00");
    for (String d : deployments) {
      deploymentStatus(t, BOUTIQUE, d, 1, 1, 1, true);
      t = t.plusSeconds(5);
    }

    List<ObjectNode> mysql = new ArrayList<>(Manifests.load("mysql/mysql-configmap.yaml"));
    mysql.addAll(Manifests.load("mysql/mysql-services.yaml"));
    mysql.addAll(Manifests.load("mysql/mysql-statefulset.yaml"));
    t = at("08:30:00");
    for (ObjectNode manifest : mysql) {
      cluster.create(t, MYSQL, manifest, APPLY);
      t = t.plusSeconds(5);
    }
    statefulSetStatus(at("08:31:00"), MYSQL, "mysql", 1, 0, false);
    statefulSetStatus(at("08:32:00"), MYSQL, "mysql", 2, 1, false);
    statefulSetStatus(at("08:33:00"), MYSQL, "mysql", 3, 2, false);
    statefulSetStatus(at("08:34:00"), MYSQL, "mysql", 3, 3, true);

    t = at("08:40:00");
    for (String file :
        List.of(
            "service-account.yaml",
            "cluster-role.yaml",
            "cluster-role-binding.yaml",
            "deployment.yaml",
            "service.yaml")) {
      for (ObjectNode manifest : Manifests.load("kube-state-metrics/" + file)) {
        String kind = manifest.get("kind").asText();
        boolean clusterScoped = kind.startsWith("Cluster");
        cluster.create(t, clusterScoped ? "" : KUBE_SYSTEM, manifest, APPLY);
        t = t.plusSeconds(5);
      }
    }
    deploymentStatus(at("08:41:00"), KUBE_SYSTEM, "kube-state-metrics", 1, 1, 0, false);
    deploymentStatus(at("08:41:30"), KUBE_SYSTEM, "kube-state-metrics", 1, 1, 1, true);

    cluster.create(at("08:44:00"), "", Manifests.load("sample-controller/crd.yaml").get(0), APPLY);
    cluster.status(
        at("08:44:01"),
        "",
        "CustomResourceDefinition",
        "foos.samplecontroller.k8s.io",
        "kube-apiserver",
        null,
        "established",
        s -> {
          ArrayNode conditions = s.putArray("conditions");
          conditions
              .addObject()
              .put("type", "Established")
              .put("status", "True")
              .put("reason", "InitialNamesAccepted");
          s.putObject("acceptedNames").put("kind", "Foo").put("plural", "foos");
          s.putArray("storedVersions").add("v1alpha1");
        });
    cluster.create(
        at("08:45:00"),
        DEFAULT,
        Manifests.load("sample-controller/example-foo.yaml").get(0),
        APPLY);

    setImage(at("09:10:00"), "frontend", IMAGE + "frontend:v0.8.0", "kubectl-set");
    deploymentStatus(at("09:10:30"), BOUTIQUE, "frontend", 2, 1, 1, false);
    deploymentStatus(at("09:12:00"), BOUTIQUE, "frontend", 1, 1, 1, true);

    cluster.update(
        at("09:20:00"),
        BOUTIQUE,
        "Deployment",
        "cartservice",
        "kubectl-scale",
        true,
        null,
        false,
        "scaled 1 -> 3",
        o -> ((ObjectNode) o.get("spec")).put("replicas", 3));
    deploymentStatus(at("09:20:01"), BOUTIQUE, "cartservice", 3, 3, 1, false);
    deploymentStatus(at("09:23:00"), BOUTIQUE, "cartservice", 3, 3, 3, true);

    cluster.update(
        at("09:30:00"),
        MYSQL,
        "ConfigMap",
        "mysql",
        "kubectl-edit",
        false,
        null,
        null,
        "binlog format",
        o ->
            ((ObjectNode) o.get("data"))
                .put(
                    "primary.cnf",
                    "# Apply this config only on the primary.\n[mysqld]\nlog-bin\n"
                        + "binlog-format=ROW\n"));

    cluster.update(
        at("09:40:00"),
        BOUTIQUE,
        "Deployment",
        "adservice",
        "kubectl-edit",
        true,
        null,
        false,
        "memory limit 300Mi -> 512Mi",
        o ->
            ((ObjectNode) o.at("/spec/template/spec/containers/0/resources/limits"))
                .put("memory", "512Mi"));
    deploymentStatus(at("09:40:01"), BOUTIQUE, "adservice", 2, 1, 1, false);
    deploymentStatus(at("09:41:00"), BOUTIQUE, "adservice", 1, 1, 1, true);

    cluster.update(
        at("09:50:00"),
        DEFAULT,
        "Foo",
        "example-foo",
        "kubectl-edit",
        true,
        null,
        null,
        "replicas 1 -> 2",
        o -> ((ObjectNode) o.get("spec")).put("replicas", 2));

    cluster.update(
        at("10:00:00"),
        MYSQL,
        "StatefulSet",
        "mysql",
        "kubectl-scale",
        true,
        null,
        false,
        "scaled 3 -> 5",
        o -> ((ObjectNode) o.get("spec")).put("replicas", 5));
    statefulSetStatus(at("10:00:01"), MYSQL, "mysql", 4, 3, false);
    statefulSetStatus(at("10:01:00"), MYSQL, "mysql", 5, 4, false);
    statefulSetStatus(at("10:02:00"), MYSQL, "mysql", 5, 5, true);

    ObjectNode recommendation = manifest(boutique, "Deployment", "recommendationservice");
    ObjectNode recommendationService = manifest(boutique, "Service", "recommendationservice");
    cluster.delete(at("10:05:00"), BOUTIQUE, "Deployment", "recommendationservice");
    cluster.delete(at("10:05:05"), BOUTIQUE, "Service", "recommendationservice");
    cluster.create(at("10:15:00"), BOUTIQUE, recommendation, APPLY);
    cluster.create(at("10:15:05"), BOUTIQUE, recommendationService, APPLY);
    deploymentStatus(at("10:15:30"), BOUTIQUE, "recommendationservice", 1, 1, 0, false);
    deploymentStatus(at("10:17:00"), BOUTIQUE, "recommendationservice", 1, 1, 1, true);

    cluster.update(
        at("10:20:00"),
        "",
        "ClusterRole",
        "kube-state-metrics",
        "kubectl-edit",
        false,
        null,
        null,
        "adds a rule",
        o -> {
          ObjectNode rule = ((ArrayNode) o.get("rules")).addObject();
          rule.putArray("apiGroups").add("discovery.k8s.io");
          rule.putArray("resources").add("endpointslices");
          rule.putArray("verbs").add("list").add("watch");
        });

    cluster.delete(at("10:40:00"), BOUTIQUE, "Deployment", "loadgenerator");
    cluster.delete(at("10:50:00"), DEFAULT, "Foo", "example-foo");

    setImage(at("11:10:00"), "frontend", IMAGE + "frontend:v0.9.0", "kubectl-set");
    deploymentStatus(at("11:10:01"), BOUTIQUE, "frontend", 2, 1, 1, false);
    deploymentStatus(at("11:12:00"), BOUTIQUE, "frontend", 1, 1, 1, true);
    setImage(at("11:30:00"), "frontend", IMAGE + "frontend:v0.8.0", "kubectl-rollout");
    deploymentStatus(at("11:30:01"), BOUTIQUE, "frontend", 2, 1, 1, false);
    deploymentStatus(at("11:31:00"), BOUTIQUE, "frontend", 1, 1, 1, true);

    cluster.update(
        at("11:45:00"),
        BOUTIQUE,
        "Deployment",
        "redis-cart",
        "kubectl-label",
        false,
        null,
        true,
        "label tier=cache",
        o -> {
          ObjectNode meta = (ObjectNode) o.get("metadata");
          ObjectNode labels =
              meta.get("labels") instanceof ObjectNode l ? l : meta.putObject("labels");
          labels.put("tier", "cache");
        });
  }

  private static ObjectNode manifest(List<ObjectNode> manifests, String kind, String name) {
    return manifests.stream()
        .filter(m -> m.get("kind").asText().equals(kind))
        .filter(m -> m.at("/metadata/name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private void setImage(Instant at, String deployment, String image, String manager) {
    cluster.update(
        at,
        BOUTIQUE,
        "Deployment",
        deployment,
        manager,
        true,
        image,
        false,
        "image " + image.substring(image.lastIndexOf('/') + 1),
        o -> ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", image));
  }

  /**
   * Status as the deployment controller records it: pods in total, of the current template, and
   * available. {@code available} is the script's own word for whether that is fully available.
   */
  private void deploymentStatus(
      Instant at,
      String namespace,
      String name,
      int replicas,
      int updated,
      int availableReplicas,
      boolean available) {
    ObjectNode object = cluster.get(namespace, "Deployment", name);
    long generation = object.at("/metadata/generation").asLong();
    int wanted = object.at("/spec/replicas").asInt(1);
    cluster.status(
        at,
        namespace,
        "Deployment",
        name,
        KCM,
        available,
        available ? "available" : "not available",
        s -> {
          s.removeAll();
          s.put("observedGeneration", generation);
          s.put("replicas", replicas);
          s.put("updatedReplicas", updated);
          if (availableReplicas > 0) {
            s.put("readyReplicas", availableReplicas);
            s.put("availableReplicas", availableReplicas);
          }
          if (replicas - availableReplicas > 0) {
            s.put("unavailableReplicas", replicas - availableReplicas);
          }
          ArrayNode conditions = s.putArray("conditions");
          boolean minimum = availableReplicas >= wanted;
          conditions
              .addObject()
              .put("type", "Available")
              .put("status", minimum ? "True" : "False")
              .put("reason", minimum ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
              .put("lastUpdateTime", at.toString());
          conditions
              .addObject()
              .put("type", "Progressing")
              .put("status", "True")
              .put("reason", updated == replicas ? "NewReplicaSetAvailable" : "ReplicaSetUpdated")
              .put("lastUpdateTime", at.toString());
        });
  }

  /** Status as the StatefulSet controller records it (no availableReplicas in 1.20). */
  private void statefulSetStatus(
      Instant at, String namespace, String name, int replicas, int ready, boolean available) {
    ObjectNode object = cluster.get(namespace, "StatefulSet", name);
    long generation = object.at("/metadata/generation").asLong();
    cluster.status(
        at,
        namespace,
        "StatefulSet",
        name,
        KCM,
        available,
        available ? "available" : "not available",
        s -> {
          s.removeAll();
          s.put("observedGeneration", generation);
          s.put("replicas", replicas);
          s.put("currentReplicas", replicas);
          s.put("updatedReplicas", replicas);
          if (ready > 0) {
            s.put("readyReplicas", ready);
          }
          s.put("currentRevision", name + "-6b9f5c8d7f");
          s.put("updateRevision", name + "-6b9f5c8d7f");
          s.put("collisionCount", 0);
        });
  }
}
