package io.hindsight.schemas;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumers of Hindsight's topics as every reader needs them: committed records only (the watcher
 * writes in transactions), offsets managed by the reader, fetch sizes above the record limit.
 */
public final class TopicReaders {
  private TopicReaders() {}

  /**
   * A consumer of raw bytes (decode with the registry serdes); the caller assigns and closes it.
   */
  public static KafkaConsumer<byte[], byte[]> committedBytes(String bootstrapServers) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * Topics.MAX_MESSAGE_BYTES);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * Topics.MAX_MESSAGE_BYTES);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
