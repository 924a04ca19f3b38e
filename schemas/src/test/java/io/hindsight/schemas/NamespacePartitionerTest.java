package io.hindsight.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hindsight.schemas.avro.ObjectKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

class NamespacePartitionerTest {
  private static final String TOPIC = Topics.CHANGES;
  private final NamespacePartitioner partitioner = new NamespacePartitioner();

  @Test
  void everyObjectOfANamespaceGoesToOnePartition() {
    Cluster cluster = clusterWith(12);
    Set<Integer> partitionsOfShop = new HashSet<>();
    for (String kind : List.of("ConfigMap", "Deployment", "Secret", "Foo")) {
      for (int i = 0; i < 20; i++) {
        ObjectKey key = new ObjectKey("prod", "", kind, "shop", "obj-" + i);
        partitionsOfShop.add(partitioner.partition(TOPIC, key, null, null, null, cluster));
      }
    }
    assertThat(partitionsOfShop).hasSize(1);
    assertThat(partitionsOfShop.iterator().next())
        .isEqualTo(NamespacePartitioner.partitionOf("prod", "shop", 12));
  }

  @Test
  void namespacesSpreadOverPartitions() {
    Set<Integer> used = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      used.add(NamespacePartitioner.partitionOf("prod", "ns-" + i, 12));
    }
    assertThat(used).hasSize(12);
  }

  @Test
  void refusesKeysThatAreNotObjectKeys() {
    assertThatThrownBy(() -> partitioner.partition(TOPIC, "x", null, null, null, clusterWith(3)))
        .hasMessageContaining("needs an ObjectKey");
  }

  private static Cluster clusterWith(int partitions) {
    Node node = new Node(1, "localhost", 9092);
    List<PartitionInfo> infos =
        java.util.stream.IntStream.range(0, partitions)
            .mapToObj(p -> new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node}))
            .toList();
    return new Cluster("c", List.of(node), infos, Set.of(), Set.of());
  }
}
