package io.hindsight.materializer;

import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of the streams-app: where to read (Kafka, registry), where to write (an Iceberg
 * catalog, {@link CatalogConfig}'s {@code catalog.*} keys), and how often to commit, checkpoint and
 * maintain the tables. Checked when built: a bad value fails with the key and the fix.
 */
public final class MaterializerConfig extends AbstractConfig {
  public static final String APPLICATION_ID = "materializer.application-id";
  public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap-servers";
  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String INPUT_TOPIC = "materializer.input-topic";
  public static final String STATE_DIR = "materializer.state-dir";
  public static final String THREADS = "materializer.threads";

  /** The most stream threads {@code materializer.threads=0} starts, however many cores. */
  static final int MAX_AUTO_THREADS = 8;

  public static final String CACHE_MAX_BYTES = "materializer.cache-max-bytes";
  public static final String COMMIT_INTERVAL_MS = "materializer.commit-interval-ms";
  public static final String CHECKPOINT_INTERVAL_MS = "materializer.checkpoint-interval-ms";
  public static final String CHECKPOINT_CHECK_MS = "materializer.checkpoint-check-interval-ms";
  public static final String COMMIT_TIMEOUT_MS = "materializer.commit-timeout-ms";
  public static final String TARGET_FILE_BYTES = "materializer.target-file-bytes";
  public static final String MAINTENANCE_INTERVAL_MS = "materializer.maintenance-interval-ms";
  public static final String COMPACTION_MIN_FILES = "materializer.compaction-min-files";
  public static final String SNAPSHOT_RETENTION_MS = "materializer.snapshot-retention-ms";
  public static final String HTTP_PORT = "materializer.http-port";
  public static final String REPLICATION_FACTOR = "kafka.replication-factor";
  public static final String ON_BAD_RECORD = "materializer.on-bad-record";
  public static final String WATERMARK_INTERVAL_MS = "materializer.watermark-interval-ms";
  public static final String INSTANCE_ID = "materializer.instance-id";

  public static final ConfigDef DEFINITION = definition();

  private static ConfigDef definition() {
    ConfigDef def =
        new ConfigDef()
            .define(
                APPLICATION_ID,
                Type.STRING,
                "hindsight-materializer",
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Kafka Streams application id: names the consumer group, the state stores'"
                    + " changelog topics and the transactional ids; every instance of one"
                    + " deployment shares it.")
            .define(
                BOOTSTRAP_SERVERS,
                Type.STRING,
                "127.0.0.1:9092",
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Kafka bootstrap servers.")
            .define(
                REGISTRY_URL,
                Type.STRING,
                "http://127.0.0.1:8081",
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Schema registry (Confluent-compatible API) base URL.")
            .define(
                INPUT_TOPIC,
                Type.STRING,
                Topics.CHANGES,
                new ConfigDef.NonEmptyString(),
                Importance.LOW,
                "Topic of changes, heartbeats and gaps to materialize.")
            .define(
                STATE_DIR,
                Type.STRING,
                Path.of(System.getProperty("user.home"), ".hindsight", "streams").toString(),
                new ConfigDef.NonEmptyString(),
                Importance.MEDIUM,
                "Directory of the local state stores (RocksDB); rebuilt from Kafka when lost.")
            .define(
                INSTANCE_ID,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Stable name of this instance (Kafka static membership): a restarted instance takes"
                    + " its partitions back at once instead of after the session timeout. Unique per"
                    + " instance; empty: dynamic membership.")
            .define(
                THREADS,
                Type.INT,
                0,
                Range.between(0, 64),
                Importance.MEDIUM,
                "Stream threads of this instance; each commits its own partitions. 0: one per"
                    + " available processor, at most "
                    + MAX_AUTO_THREADS
                    + " (a single thread leaves a second core idle: bench/README.md, figure 4).")
            .define(
                CACHE_MAX_BYTES,
                Type.LONG,
                256L * 1024 * 1024,
                Range.atLeast(0),
                Importance.MEDIUM,
                "Heap for the latest state of the objects that change within a commit interval,"
                    + " shared by the stream threads: an object changed many times is written to"
                    + " RocksDB and its changelog once per commit. Too small for the objects in"
                    + " flux and every change is written through, which costs CPU (bench/README.md,"
                    + " figure 4).")
            .define(
                COMMIT_INTERVAL_MS,
                Type.LONG,
                10_000L,
                Range.between(100, 3_600_000),
                Importance.HIGH,
                "How often changes become visible in the tables: every interval each thread"
                    + " commits its rows to Iceberg, then its Kafka transaction.")
            .define(
                WATERMARK_INTERVAL_MS,
                Type.LONG,
                30_000L,
                Range.atLeast(100),
                Importance.LOW,
                "When no rows arrive (idle clusters), a commit that only moves the complete-through"
                    + " watermark is made at most this often, to keep the tables' snapshot count"
                    + " low.")
            .define(
                CHECKPOINT_INTERVAL_MS,
                Type.LONG,
                3_600_000L,
                Range.atLeast(1000),
                Importance.HIGH,
                "A namespace that changed gets a full checkpoint once this much business time has"
                    + " passed since its last one, so a restore replays at most this much.")
            .define(
                CHECKPOINT_CHECK_MS,
                Type.LONG,
                60_000L,
                Range.atLeast(100),
                Importance.LOW,
                "How often (wall clock) each task looks for namespaces due for a checkpoint.")
            .define(
                COMMIT_TIMEOUT_MS,
                Type.LONG,
                120_000L,
                Range.atLeast(1000),
                Importance.LOW,
                "How long one Iceberg commit may keep retrying (catalog away, conflicts) before"
                    + " the stream thread fails and the process exits.")
            .define(
                TARGET_FILE_BYTES,
                Type.LONG,
                128L * 1024 * 1024,
                Range.atLeast(1024 * 1024),
                Importance.LOW,
                "Data files are rolled at this size (written and compacted).")
            .define(
                MAINTENANCE_INTERVAL_MS,
                Type.LONG,
                3_600_000L,
                Range.atLeast(0),
                Importance.MEDIUM,
                "How often small files are compacted and old snapshots expired; 0 turns it off.")
            .define(
                COMPACTION_MIN_FILES,
                Type.INT,
                8,
                Range.atLeast(2),
                Importance.LOW,
                "A table partition with at least this many small files is compacted.")
            .define(
                SNAPSHOT_RETENTION_MS,
                Type.LONG,
                3_600_000L,
                Range.atLeast(60_000),
                Importance.MEDIUM,
                "Snapshots older than this are expired (history itself is never lost: business"
                    + " time is a column; snapshots only serve time travel of the tables). Every"
                    + " commit interval each stream thread adds a snapshot and about 1.1 KB to the"
                    + " table metadata that every commit rewrites and every reader parses: a week"
                    + " of them at the defaults would be over 100 MB.")
            .define(
                HTTP_PORT,
                Type.INT,
                -1,
                Range.between(-1, 65535),
                Importance.LOW,
                "Port of /metrics, /healthz and /readyz on all interfaces; 0: any free port; -1:"
                    + " off.")
            .define(
                REPLICATION_FACTOR,
                Type.SHORT,
                (short) 1,
                Range.atLeast(1),
                Importance.MEDIUM,
                "Replication factor of the internal topics (changelogs) Kafka Streams creates.")
            .define(
                ON_BAD_RECORD,
                Type.STRING,
                "skip",
                ConfigDef.ValidString.in("skip", "fail"),
                Importance.MEDIUM,
                "A record that cannot be read: skip (counted, logged with its offset, recorded as a"
                    + " gap so restores into it are refused) or fail (the streams-app stops).");
    for (ConfigDef.ConfigKey key : CatalogConfig.DEFINITION.configKeys().values()) {
      def.define(key);
    }
    return def;
  }

  private final CatalogConfig catalog;

  public MaterializerConfig(Map<String, ?> values) {
    super(DEFINITION, values, false);
    Map<String, Object> catalogValues = CatalogConfig.select(originals());
    this.catalog = new CatalogConfig(catalogValues);
    if (checkpointInterval().compareTo(commitInterval()) < 0) {
      throw new ConfigException(
          CHECKPOINT_INTERVAL_MS,
          checkpointInterval().toMillis(),
          "must not be shorter than "
              + COMMIT_INTERVAL_MS
              + " ("
              + commitInterval().toMillis()
              + ")");
    }
  }

  public CatalogConfig catalog() {
    return catalog;
  }

  public String applicationId() {
    return getString(APPLICATION_ID);
  }

  public String bootstrapServers() {
    return getString(BOOTSTRAP_SERVERS);
  }

  public String registryUrl() {
    return getString(REGISTRY_URL);
  }

  public String inputTopic() {
    return getString(INPUT_TOPIC);
  }

  public Path stateDir() {
    return Path.of(getString(STATE_DIR));
  }

  public String instanceId() {
    return getString(INSTANCE_ID);
  }

  /** The stream threads to run: {@code materializer.threads}, or one per processor when 0. */
  public int threads() {
    int configured = getInt(THREADS);
    return configured > 0 ? configured : autoThreads(Runtime.getRuntime().availableProcessors());
  }

  static int autoThreads(int processors) {
    return Math.max(1, Math.min(processors, MAX_AUTO_THREADS));
  }

  public long cacheMaxBytes() {
    return getLong(CACHE_MAX_BYTES);
  }

  public Duration commitInterval() {
    return Duration.ofMillis(getLong(COMMIT_INTERVAL_MS));
  }

  public Duration watermarkInterval() {
    return Duration.ofMillis(getLong(WATERMARK_INTERVAL_MS));
  }

  public Duration checkpointInterval() {
    return Duration.ofMillis(getLong(CHECKPOINT_INTERVAL_MS));
  }

  public Duration checkpointCheckInterval() {
    return Duration.ofMillis(getLong(CHECKPOINT_CHECK_MS));
  }

  public Duration commitTimeout() {
    return Duration.ofMillis(getLong(COMMIT_TIMEOUT_MS));
  }

  public long targetFileBytes() {
    return getLong(TARGET_FILE_BYTES);
  }

  public Duration maintenanceInterval() {
    return Duration.ofMillis(getLong(MAINTENANCE_INTERVAL_MS));
  }

  public int compactionMinFiles() {
    return getInt(COMPACTION_MIN_FILES);
  }

  public Duration snapshotRetention() {
    return Duration.ofMillis(getLong(SNAPSHOT_RETENTION_MS));
  }

  public int httpPort() {
    return getInt(HTTP_PORT);
  }

  public boolean failOnBadRecord() {
    return getString(ON_BAD_RECORD).equals("fail");
  }

  public short replicationFactor() {
    return getShort(REPLICATION_FACTOR);
  }

  /** The resolved configuration, one key a line, sorted, passwords redacted, for the log. */
  public String describe() {
    Map<String, Object> sorted = new TreeMap<>(values());
    StringBuilder out = new StringBuilder();
    sorted.forEach(
        (k, v) ->
            out.append("\n  ")
                .append(k)
                .append(" = ")
                .append(v instanceof Password ? "[hidden]" : v));
    return out.toString();
  }
}
