package io.hindsight.watcher;

import io.hindsight.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the watcher's topics when they are missing, and reads the partition count of {@code
 * hindsight.changes} (which the namespace partitioning depends on: it must never change under a
 * running history).
 */
final class KafkaTopics {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

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
    try {
      TopicDescription changes =
          admin.describeTopics(List.of(Topics.CHANGES)).allTopicNames().get().get(Topics.CHANGES);
      return changes.partitions().size();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot describe topic " + Topics.CHANGES + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
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
