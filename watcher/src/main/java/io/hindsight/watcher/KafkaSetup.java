package io.hindsight.watcher;

import io.hindsight.schemas.Topics;
import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.schemas.avro.WatcherStateRecord;
import io.hindsight.serde.SchemaRegistryClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The watcher's Kafka side as it starts: the schema subjects, the topics, and the transactional
 * producer. Each step stands alone, so {@link Watcher} runs them at once.
 */
final class KafkaSetup {
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private final WatcherConfig config;
  private final Duration adminTimeout;

  KafkaSetup(WatcherConfig config) {
    this(config, ADMIN_TIMEOUT);
  }

  /** With how long the topics' set-up may wait for the broker (short in tests). */
  KafkaSetup(WatcherConfig config, Duration adminTimeout) {
    this.config = config;
    this.adminTimeout = adminTimeout;
  }

  /**
   * Registers the schemas of both topics and their compatibility, one subject after the other:
   * Apicurio on H2 answers concurrent registrations with 500s (unique-key and lock conflicts).
   */
  static void registerSubjects(SchemaRegistryClient registry) {
    for (String topic : List.of(Topics.CHANGES, Topics.WATCHER_STATE)) {
      registry.register(topic + "-key", ObjectKey.getClassSchema());
      registry.setCompatibility(topic + "-key", "BACKWARD_TRANSITIVE");
    }
    registry.register(Topics.CHANGES + "-value", ChangeLogRecord.getClassSchema());
    registry.setCompatibility(Topics.CHANGES + "-value", "BACKWARD_TRANSITIVE");
    registry.register(Topics.WATCHER_STATE + "-value", WatcherStateRecord.getClassSchema());
    registry.setCompatibility(Topics.WATCHER_STATE + "-value", "BACKWARD_TRANSITIVE");
  }

  /** Creates the topics when missing; returns the partition count of hindsight.changes. */
  int ensureTopics() {
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) adminTimeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) adminTimeout.toMillis());
    try (Admin admin = Admin.create(props)) {
      return KafkaTopics.ensure(admin, config.topicPartitions(), config.replicationFactor());
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof ExecutionException failed
          && failed.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw new IllegalStateException(
            "cannot reach Kafka at "
                + config.bootstrapServers()
                + " (no answer within "
                + adminTimeout.toSeconds()
                + " s): check "
                + WatcherConfig.BOOTSTRAP_SERVERS,
            e);
      }
      throw e;
    }
  }

  /** The transactional producer, initialized: this fences any earlier instance for the cluster. */
  KafkaProducer<byte[], byte[]> transactionalProducer() {
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer());
    try {
      producer.initTransactions();
      return producer;
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }

  private Map<String, Object> producerProps() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "hindsight-watcher-" + config.clusterName());
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
    return props;
  }
}
