package io.hindsight.serde;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format into a specific record class: the writer's schema comes from the
 * registry by id (cached) and is resolved against the class's schema, so data written with any
 * earlier compatible version reads.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  private final Class<T> type;
  private final Schema readerSchema;
  private SchemaRegistryClient registry;
  private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();
  private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

  public AvroDeserializer(Class<T> type) {
    this.type = Objects.requireNonNull(type);
    this.readerSchema = SpecificData.get().getSchema(type);
  }

  public AvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
    this(type);
    this.registry = Objects.requireNonNull(registry);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (registry == null) {
      registry = new SchemaRegistryClient(AvroSerdeConfig.registryUrl(configs));
    }
  }

  @Override
  public T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroDeserializer used before configure()");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int id = WireFormat.readHeader(buffer, topic);
    try {
      SpecificDatumReader<T> reader = readersById.computeIfAbsent(id, this::readerFor);
      BinaryDecoder decoder =
          DecoderFactory.get()
              .binaryDecoder(bytes, buffer.position(), buffer.remaining(), decoders.get());
      decoders.set(decoder);
      return reader.read(null, decoder);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "cannot read a " + type.getSimpleName() + " from " + topic + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new SerializationException(
          "cannot decode a "
              + type.getSimpleName()
              + " written with schema id "
              + id
              + " from "
              + topic
              + ": "
              + e,
          e);
    }
  }

  private SpecificDatumReader<T> readerFor(int id) {
    Schema writer = registry.schemaById(id);
    return new SpecificDatumReader<>(writer, readerSchema);
  }
}
