package io.hindsight.watcher;

import io.hindsight.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the watcher's topics when they are missing, and reads the partition count of {@code
 * hindsight.changes} (which the namespace partitioning depends on: it must never change under a
 * running history).
 */
final class KafkaTopics {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);
  private static final Duration METADATA_WAIT = Duration.ofSeconds(30);

  private KafkaTopics() {}

  /** Ensures both topics exist and returns the partition count of {@link Topics#CHANGES}. */
  static int ensure(Admin admin, int partitions, short replicationFactor) {
    String maxBytes = String.valueOf(Topics.MAX_MESSAGE_BYTES);
    create(
        admin,
        new NewTopic(Topics.CHANGES, Optional.of(partitions), Optional.of(replicationFactor))
            .configs(
                Map.of(
                    "max.message.bytes", maxBytes,
                    // the history is the product: keep it until someone decides otherwise
                    "retention.ms", "-1",
                    "compression.type", "producer")));
    create(
        admin,
        new NewTopic(Topics.WATCHER_STATE, Optional.of(1), Optional.of(replicationFactor))
            .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", maxBytes)));
    return partitionsOf(admin, Topics.CHANGES);
  }

  /**
   * The partition count of {@code topic}. A topic just created may be unknown to the broker for a
   * moment (its metadata follows the controller's): asked again for up to {@link #METADATA_WAIT}.
   */
  private static int partitionsOf(Admin admin, String topic) {
    long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
    while (true) {
      try {
        TopicDescription description =
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        return description.partitions().size();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "cannot describe topic " + topic + ": " + e.getCause(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static void create(Admin admin, NewTopic topic) {
    try {
      admin.createTopics(List.of(topic)).all().get();
      LOG.info("created topic {} ({} partitions)", topic.name(), topic.numPartitions());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create topic " + topic.name() + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
