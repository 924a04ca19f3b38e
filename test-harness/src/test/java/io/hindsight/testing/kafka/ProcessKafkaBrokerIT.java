package io.hindsight.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker as a JVM of its own keeps what it holds across a restart and a new start. */
class ProcessKafkaBrokerIT {
  @TempDir Path dir;

  @Test
  void keepsCommittedRecordsAcrossARestartAndANewStartOnTheSameDirectory() throws Exception {
    try (ProcessKafkaBroker broker = ProcessKafkaBroker.start(dir.resolve("kafka"))) {
      try (var admin = broker.admin()) {
        admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
      }
      send(broker, "before-restart");
      broker.restart();
      send(broker, "after-restart");
      assertThat(readAll(broker)).containsExactly("before-restart", "after-restart");
    }
    try (ProcessKafkaBroker again = ProcessKafkaBroker.start(dir.resolve("kafka"))) {
      assertThat(readAll(again)).containsExactly("before-restart", "after-restart");
    }
  }

  private static void send(KafkaBroker broker, String value) {
    Map<String, Object> props = new HashMap<>(broker.clientProperties());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "process-broker-it");
    try (var producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("kept", value));
      producer.commitTransaction();
    }
  }

  private static List<String> readAll(KafkaBroker broker) {
    Map<String, Object> props = new HashMap<>(broker.clientProperties());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "process-broker-it-" + System.nanoTime());
    List<String> values = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(Set.of("kept"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < 2 && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }
}
