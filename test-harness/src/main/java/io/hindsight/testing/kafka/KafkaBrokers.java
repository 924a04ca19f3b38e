package io.hindsight.testing.kafka;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Chooses where a test broker comes from. System property or environment variable {@code
 * hindsight.test.kafka} / {@code HINDSIGHT_TEST_KAFKA} = {@code docker}, {@code testkit} or {@code
 * auto} (the default: Docker when an engine answers, the in-process test kit otherwise).
 */
public final class KafkaBrokers {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokers.class);

  private KafkaBrokers() {}

  public static KafkaBroker start() {
    String choice =
        System.getProperty(
            "hindsight.test.kafka", System.getenv().getOrDefault("HINDSIGHT_TEST_KAFKA", "auto"));
    KafkaBroker broker =
        switch (choice.toLowerCase(Locale.ROOT)) {
          case "docker" -> ContainerKafkaBroker.start();
          case "testkit" -> TestKitKafkaBroker.start();
          case "auto" ->
              dockerAvailable() ? ContainerKafkaBroker.start() : TestKitKafkaBroker.start();
          default ->
              throw new IllegalArgumentException(
                  "hindsight.test.kafka='" + choice + "': use docker, testkit or auto");
        };
    LOG.info("Kafka broker for tests: {}", broker.description());
    return broker;
  }

  /** A broker in this JVM (KafkaClusterTestKit), whatever the machine has. */
  public static KafkaBroker startInProcess() {
    KafkaBroker broker = TestKitKafkaBroker.start();
    LOG.info("Kafka broker: {}", broker.description());
    return broker;
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
