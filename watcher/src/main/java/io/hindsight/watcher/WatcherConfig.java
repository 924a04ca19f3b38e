package io.hindsight.watcher;

import io.hindsight.schemas.config.ConfigSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The watcher's configuration, checked when built: a bad value fails at start with the key's name
 * and what it accepts. Sources are layered by {@link ConfigSources}.
 */
public final class WatcherConfig extends AbstractConfig {
  public static final String CLUSTER_NAME = "watcher.cluster-name";
  public static final String KUBECONFIG = "watcher.kubeconfig";
  public static final String CONTEXT = "watcher.context";
  public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap-servers";
  public static final String TOPIC_PARTITIONS = "kafka.topic-partitions";
  public static final String REPLICATION_FACTOR = "kafka.replication-factor";
  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String NAMESPACES_INCLUDE = "watcher.namespaces.include";
  public static final String NAMESPACES_EXCLUDE = "watcher.namespaces.exclude";
  public static final String KINDS_INCLUDE = "watcher.kinds.include";
  public static final String KINDS_EXCLUDE = "watcher.kinds.exclude";
  public static final String RESYNC_INTERVAL_MS = "watcher.resync-interval-ms";
  public static final String HEARTBEAT_INTERVAL_MS = "watcher.heartbeat-interval-ms";
  public static final String TRANSACTION_MAX_MS = "watcher.transaction-max-ms";
  public static final String DISCOVERY_INTERVAL_MS = "watcher.discovery-interval-ms";
  public static final String SEALING_KEY_FILE = "watcher.sealing-key-file";
  public static final String SEALING_KEY_GENERATE = "watcher.sealing-key-generate";
  public static final String ON_BAD_OBJECT = "watcher.on-bad-object";
  public static final String HTTP_PORT = "watcher.http-port";
  public static final String SYNC_TIMEOUT_MS = "watcher.sync-timeout-ms";

  public static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              CLUSTER_NAME,
              Type.STRING,
              "default",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Name of the watched cluster; part of every key, so keep it stable.")
          .define(
              KUBECONFIG,
              Type.STRING,
              "",
              Importance.HIGH,
              "Path of the kubeconfig; empty: the usual resolution (KUBECONFIG, ~/.kube/config,"
                  + " in-cluster service account).")
          .define(
              CONTEXT, Type.STRING, "", Importance.MEDIUM, "kubeconfig context; empty: current.")
          .define(
              BOOTSTRAP_SERVERS,
              Type.STRING,
              "127.0.0.1:9092",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Kafka bootstrap servers.")
          .define(
              TOPIC_PARTITIONS,
              Type.INT,
              12,
              Range.between(1, 10_000),
              Importance.MEDIUM,
              "Partitions of hindsight.changes when the watcher creates it.")
          .define(
              REPLICATION_FACTOR,
              Type.SHORT,
              (short) -1,
              Importance.MEDIUM,
              "Replication factor of topics the watcher creates; -1: the broker's default.")
          .define(
              REGISTRY_URL,
              Type.STRING,
              "http://127.0.0.1:8081",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Base URL of a Confluent-compatible schema registry.")
          .define(
              NAMESPACES_INCLUDE,
              Type.LIST,
              "",
              Importance.MEDIUM,
              "Namespaces to record; empty: all. Cluster-scoped objects are always recorded.")
          .define(
              NAMESPACES_EXCLUDE, Type.LIST, "", Importance.MEDIUM, "Namespaces never recorded.")
          .define(
              KINDS_INCLUDE,
              Type.LIST,
              "",
              Importance.MEDIUM,
              "Resource types to record, as kubectl names them (plural[.group] or Kind[.group]);"
                  + " empty: all.")
          .define(
              KINDS_EXCLUDE,
              Type.LIST,
              "events,events.events.k8s.io,leases.coordination.k8s.io",
              Importance.MEDIUM,
              "Resource types never recorded (plural[.group] or Kind[.group]).")
          .define(
              RESYNC_INTERVAL_MS,
              Type.LONG,
              0L,
              Range.atLeast(0),
              Importance.LOW,
              "Informer resync period; 0: none. Resyncs that change nothing are never published.")
          .define(
              HEARTBEAT_INTERVAL_MS,
              Type.LONG,
              1000L,
              Range.between(50, 600_000),
              Importance.MEDIUM,
              "How often every partition gets a progress heartbeat.")
          .define(
              TRANSACTION_MAX_MS,
              Type.LONG,
              100L,
              Range.between(1, 60_000),
              Importance.LOW,
              "Longest wait for more changes before a Kafka transaction commits.")
          .define(
              DISCOVERY_INTERVAL_MS,
              Type.LONG,
              60_000L,
              Range.atLeast(1000),
              Importance.LOW,
              "Rediscovery period of resource types (CRD changes also trigger it at once).")
          .define(
              SEALING_KEY_FILE,
              Type.STRING,
              Path.of(System.getProperty("user.home"), ".hindsight", "sealing.key").toString(),
              Importance.HIGH,
              "Key file that seals Secret values (active=<id>, key.<id>=<base64 32 bytes>).")
          .define(
              SEALING_KEY_GENERATE,
              Type.BOOLEAN,
              true,
              Importance.MEDIUM,
              "Generate the sealing key file (mode 0600) when it does not exist.")
          .define(
              ON_BAD_OBJECT,
              Type.STRING,
              "skip",
              ValidString.in("skip", "fail"),
              Importance.MEDIUM,
              "An object that cannot be published (too large, unserializable): skip (count, log"
                  + " its identity, record a gap for it) or fail (stop the watcher).")
          .define(
              HTTP_PORT,
              Type.INT,
              -1,
              Range.between(-1, 65535),
              Importance.LOW,
              "Port of /metrics, /healthz and /readyz, on all interfaces (for probes); 0: any free port; -1: off.")
          .define(
              SYNC_TIMEOUT_MS,
              Type.LONG,
              600_000L,
              Range.atLeast(1000),
              Importance.LOW,
              "How long the initial list of every resource type may take before the watcher"
                  + " gives up.");

  public WatcherConfig(Map<String, ?> values) {
    super(DEFINITION, values, false);
    if (!kindsInclude().isEmpty() && !kindsExclude().isEmpty()) {
      for (String kind : kindsInclude()) {
        if (kindsExclude().contains(kind)) {
          throw new ConfigException(
              KINDS_INCLUDE, kind, "is also in " + KINDS_EXCLUDE + ": remove it from one of them");
        }
      }
    }
  }

  public String clusterName() {
    return getString(CLUSTER_NAME);
  }

  public String kubeconfig() {
    return getString(KUBECONFIG);
  }

  public String context() {
    return getString(CONTEXT);
  }

  public String bootstrapServers() {
    return getString(BOOTSTRAP_SERVERS);
  }

  public int topicPartitions() {
    return getInt(TOPIC_PARTITIONS);
  }

  public short replicationFactor() {
    return getShort(REPLICATION_FACTOR);
  }

  public String registryUrl() {
    return getString(REGISTRY_URL);
  }

  public List<String> namespacesInclude() {
    return getList(NAMESPACES_INCLUDE);
  }

  public List<String> namespacesExclude() {
    return getList(NAMESPACES_EXCLUDE);
  }

  public List<String> kindsInclude() {
    return getList(KINDS_INCLUDE);
  }

  public List<String> kindsExclude() {
    return getList(KINDS_EXCLUDE);
  }

  public Duration resyncInterval() {
    return Duration.ofMillis(getLong(RESYNC_INTERVAL_MS));
  }

  public Duration heartbeatInterval() {
    return Duration.ofMillis(getLong(HEARTBEAT_INTERVAL_MS));
  }

  public Duration transactionMax() {
    return Duration.ofMillis(getLong(TRANSACTION_MAX_MS));
  }

  public Duration discoveryInterval() {
    return Duration.ofMillis(getLong(DISCOVERY_INTERVAL_MS));
  }

  public Path sealingKeyFile() {
    return Path.of(getString(SEALING_KEY_FILE));
  }

  public boolean generateSealingKey() {
    return getBoolean(SEALING_KEY_GENERATE);
  }

  public boolean failOnBadObject() {
    return getString(ON_BAD_OBJECT).equals("fail");
  }

  public int httpPort() {
    return getInt(HTTP_PORT);
  }

  public Duration syncTimeout() {
    return Duration.ofMillis(getLong(SYNC_TIMEOUT_MS));
  }

  /** The resolved configuration, one key a line, sorted, for the start-up log. */
  public String describe() {
    Map<String, Object> sorted = new TreeMap<>(values());
    StringBuilder out = new StringBuilder();
    sorted.forEach((k, v) -> out.append("\n  ").append(k).append(" = ").append(v));
    return out.toString();
  }
}
