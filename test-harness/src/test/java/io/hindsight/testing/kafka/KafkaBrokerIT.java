package io.hindsight.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class KafkaBrokerIT {

  @Test
  void carriesLargeRecordsInTransactions(KafkaBroker broker) throws Exception {
    String topic = "harness-large";
    try (var admin = broker.admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) 1)
                      .configs(Map.of("max.message.bytes", String.valueOf(2 * 1024 * 1024)))))
          .all()
          .get();
    }
    byte[] big = new byte[1_400 * 1024];
    new java.util.Random(7).nextBytes(big);

    Map<String, Object> producerProps = new HashMap<>(broker.clientProperties());
    producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "harness-test");
    producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
    try (var producer =
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k".getBytes(), big));
      producer.commitTransaction();
    }

    Map<String, Object> consumerProps = new HashMap<>(broker.clientProperties());
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "harness-test");
    List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(Set.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(got::add);
      }
    }
    assertThat(got).hasSize(1);
    assertThat(got.get(0).value()).isEqualTo(big);
  }
}
