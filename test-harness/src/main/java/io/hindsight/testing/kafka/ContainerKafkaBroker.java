package io.hindsight.testing.kafka;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Apache Kafka's image under Testcontainers, for machines with a Docker engine. */
final class ContainerKafkaBroker implements KafkaBroker {
  static final String IMAGE = "apache/kafka:4.1.1";
  private final KafkaContainer container;

  private ContainerKafkaBroker(KafkaContainer container) {
    this.container = container;
  }

  static ContainerKafkaBroker start() {
    KafkaContainer container =
        new KafkaContainer(DockerImageName.parse(IMAGE))
            .withEnv("KAFKA_MESSAGE_MAX_BYTES", String.valueOf(4 * 1024 * 1024))
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    container.start();
    return new ContainerKafkaBroker(container);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public String description() {
    return "Testcontainers " + IMAGE + " at " + bootstrapServers();
  }

  @Override
  public void close() {
    container.stop();
  }
}
