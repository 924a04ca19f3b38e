package io.hindsight.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, on a background thread, the committed records of one topic that match a filter, and notes
 * when each count was reached: the "readable by a read_committed consumer" clock that both sides of
 * a ratio are measured with. Starts at the topic's end when the topic exists, at its beginning when
 * it appears later. Optionally keeps the matching records (partition, key, value) for replay.
 */
final class RecordCounter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RecordCounter.class);

  /** One matching record as it sits in the topic. */
  record Captured(int partition, byte[] key, byte[] value) {
    int bytes() {
      return key.length + value.length;
    }
  }

  private final String topic;
  private final Predicate<ConsumerRecord<byte[], byte[]>> filter;
  private final boolean capture;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final List<Captured> captured = new ArrayList<>();
  private volatile boolean running = true;
  private volatile RuntimeException failure;
  private int count;
  private long bytes;
  private long firstNanos;
  private int firstCount;
  private long lastNanos;

  RecordCounter(
      String bootstrapServers,
      String topic,
      Predicate<ConsumerRecord<byte[], byte[]>> filter,
      boolean capture) {
    this.topic = topic;
    this.filter = filter;
    this.capture = capture;
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 32 * 1024 * 1024);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> existing = partitions(Duration.ofSeconds(5));
    if (!existing.isEmpty()) {
      consumer.assign(existing);
      consumer.seekToEnd(existing);
      existing.forEach(consumer::position); // fixes the start now, not at the first poll
    }
    thread = new Thread(this::run, "bench-counter-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  private List<TopicPartition> partitions(Duration timeout) {
    try {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      return infos == null
          ? List.of()
          : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return List.of();
    }
  }

  private void run() {
    try {
      while (running && consumer.assignment().isEmpty()) {
        List<TopicPartition> appeared = partitions(Duration.ofMillis(200));
        if (!appeared.isEmpty()) {
          consumer.assign(appeared);
          consumer.seekToBeginning(appeared);
        }
      }
      while (running) {
        var records = consumer.poll(Duration.ofMillis(50));
        long now = System.nanoTime();
        synchronized (this) {
          boolean none = count == 0;
          for (ConsumerRecord<byte[], byte[]> r : records) {
            if (filter.test(r)) {
              if (count == 0) {
                firstNanos = now;
              }
              count++;
              bytes += r.serializedKeySize() + r.serializedValueSize();
              lastNanos = now;
              if (capture) {
                captured.add(new Captured(r.partition(), r.key(), r.value()));
              }
            }
          }
          if (none) {
            firstCount = count;
          }
          notifyAll();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("counting records of {} failed", topic, e);
      synchronized (this) {
        notifyAll();
      }
    }
  }

  /**
   * Waits until {@code n} matching records were read and returns the {@link System#nanoTime()} at
   * which the poll that brought the n-th one returned.
   */
  synchronized long awaitCount(int n, Duration timeout) throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (count < n) {
        if (failure != null) {
          throw new IllegalStateException("counter of " + topic + " failed", failure);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException(
              "only " + count + " of " + n + " records in " + topic + " after " + timeout);
        }
        wait(Math.max(1, Math.min(left / 1_000_000, 200)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return lastNanos;
  }

  synchronized int count() {
    return count;
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized long firstNanos() {
    return firstNanos;
  }

  /** How many matching records the first poll that brought any held (a whole transaction, say). */
  synchronized int firstCount() {
    return firstCount;
  }

  synchronized List<Captured> captured() {
    return List.copyOf(captured);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
