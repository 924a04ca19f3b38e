package io.hindsight.bench;

import io.hindsight.bench.RecordCounter.Captured;
import io.hindsight.schemas.Topics;
import io.hindsight.testing.kafka.KafkaBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline of the publish ratio: a plain {@code KafkaProducer<byte[], byte[]>} (acks=all,
 * idempotent, zstd, the watcher's batch size, linger and request size, no transactions) replaying
 * the exact records the watcher wrote — same keys, values and partitions, so the same sizes and
 * compressibility — into a fresh topic with the configuration of {@code hindsight.changes}.
 */
final class RawProducerBaseline {
  private static final Logger LOG = LoggerFactory.getLogger(RawProducerBaseline.class);

  private final KafkaBroker kafka;
  private final String runId;

  RawProducerBaseline(KafkaBroker kafka, String runId) {
    this.kafka = kafka;
    this.runId = runId;
  }

  PublishBench.Run run(List<Captured> records, int round, Duration timeout)
      throws TimeoutException {
    String topic = "bench.raw." + runId + "." + round;
    createLike(Topics.CHANGES, topic);
    try (RecordCounter counter =
        new RecordCounter(kafka.bootstrapServers(), topic, r -> true, false)) {
      long t0 = System.nanoTime();
      long acked;
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              producerProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
        for (Captured r : records) {
          producer.send(new ProducerRecord<>(topic, r.partition(), r.key(), r.value()));
        }
        producer.flush();
        acked = System.nanoTime();
      }
      long end = counter.awaitCount(records.size(), timeout);
      PublishBench.Run run =
          PublishBench.Run.of(
              "raw-producer",
              round,
              records.size(),
              counter.bytes(),
              t0,
              counter.firstNanos(),
              end,
              counter.firstCount());
      LOG.info(
          "raw producer round {}: {} records in {} s (all acknowledged after {} s)",
          round,
          records.size(),
          Stats.f2(run.seconds()),
          Stats.f2((acked - t0) / 1e9));
      return run;
    }
  }

  private Map<String, Object> producerProps() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    // as the watcher's producer (KafkaSetup.producerProps), so only the watcher's own work differs
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
    return props;
  }

  /** Creates {@code topic} with the partition count and topic-level settings of {@code model}. */
  private void createLike(String model, String topic) {
    try (Admin admin = kafka.admin()) {
      TopicDescription description =
          admin.describeTopics(List.of(model)).allTopicNames().get().get(model);
      int partitions = description.partitions().size();
      short replicas = (short) description.partitions().get(0).replicas().size();
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, model);
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      Map<String, String> settings = new HashMap<>();
      for (ConfigEntry entry : config.entries()) {
        if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
          settings.put(entry.name(), entry.value());
        }
      }
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, replicas).configs(settings)))
          .all()
          .get();
      LOG.info("baseline topic {}: {} partitions, {}", topic, partitions, settings);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create baseline topic " + topic + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
