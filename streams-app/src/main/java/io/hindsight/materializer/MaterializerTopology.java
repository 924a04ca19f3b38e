package io.hindsight.materializer;

import io.hindsight.schemas.Topics;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The materializer's topology, built by one pure function: {@code hindsight.changes} → the {@code
 * materialize} processor with its two stores. Every node and store is named, so the internal topics
 * are stable: {@code <application.id>-latest-objects-changelog} and {@code
 * <application.id>-namespace-checkpoints-changelog}.
 */
public final class MaterializerTopology {
  static final String SOURCE = "changes-source";
  static final String PROCESSOR = "materialize";

  /** Latest accepted change per object (header + raw record), keyed namespace-first. */
  static final String LATEST_OBJECTS = "latest-objects";

  /** Per namespace: last checkpoint time and changes since. */
  static final String NAMESPACE_CHECKPOINTS = "namespace-checkpoints";

  private MaterializerTopology() {}

  static Topology build(
      String inputTopic, ProcessorSupplier<byte[], byte[], Void, Void> processor) {
    Topology topology = new Topology();
    topology.addSource(
        AutoOffsetReset.earliest(),
        SOURCE,
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        inputTopic);
    topology.addProcessor(PROCESSOR, processor, SOURCE);
    Map<String, String> changelog =
        Map.of(
            "max.message.bytes",
            String.valueOf(Topics.MAX_MESSAGE_BYTES + 64 * 1024),
            "compression.type",
            "zstd");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LATEST_OBJECTS), Serdes.String(), Serdes.ByteArray())
            .withCachingEnabled()
            .withLoggingEnabled(changelog),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(NAMESPACE_CHECKPOINTS),
                Serdes.String(),
                Serdes.ByteArray())
            .withCachingEnabled()
            .withLoggingEnabled(Map.of()),
        PROCESSOR);
    return topology;
  }
}
