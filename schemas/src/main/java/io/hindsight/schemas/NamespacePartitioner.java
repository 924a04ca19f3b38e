package io.hindsight.schemas;

import io.hindsight.schemas.avro.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * The partitioning rule of {@link Topics#CHANGES}: every record of one namespace of one cluster
 * goes to the same partition, so a namespace's history is totally ordered. Cluster-scoped objects
 * (empty namespace) share one partition per cluster.
 *
 * <p>Records with an explicit partition (heartbeats, gaps) never reach a partitioner.
 */
public final class NamespacePartitioner implements Partitioner {

  /** The partition of {@code namespace} in {@code cluster} among {@code partitions}. */
  public static int partitionOf(String cluster, String namespace, int partitions) {
    byte[] bytes = (cluster + "/" + namespace).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(bytes)) % partitions;
  }

  @Override
  public int partition(
      String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    if (!(key instanceof ObjectKey objectKey)) {
      throw new IllegalArgumentException(
          "NamespacePartitioner needs an ObjectKey key on topic "
              + topic
              + ", got "
              + (key == null ? "null" : key.getClass().getName()));
    }
    int partitions = cluster.partitionCountForTopic(topic);
    return partitionOf(objectKey.getCluster(), objectKey.getNamespace(), partitions);
  }

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
