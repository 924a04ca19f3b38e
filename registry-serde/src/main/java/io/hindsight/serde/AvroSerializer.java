package io.hindsight.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro specific records in the Confluent wire format, registering (or looking up) the
 * writer's schema under {@code <topic>-key} or {@code <topic>-value}.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
  private SchemaRegistryClient registry;
  private boolean isKey;
  private boolean autoRegister = true;
  private final ThreadLocal<ByteArrayOutputStream> buffers =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(4096));
  private final ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();
  private final java.util.Map<org.apache.avro.Schema, SpecificDatumWriter<T>> writers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** For Kafka's reflective construction; {@link #configure} must follow. */
  public AvroSerializer() {}

  public AvroSerializer(SchemaRegistryClient registry, boolean isKey) {
    this.registry = Objects.requireNonNull(registry);
    this.isKey = isKey;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    this.autoRegister = AvroSerdeConfig.autoRegister(configs);
    if (registry == null) {
      registry = new SchemaRegistryClient(AvroSerdeConfig.registryUrl(configs));
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    String subject = AvroSerdeConfig.subject(topic, isKey);
    int id =
        autoRegister
            ? registry.register(subject, data.getSchema())
            : registry.lookup(subject, data.getSchema());
    try {
      ByteArrayOutputStream out = buffers.get();
      out.reset();
      byte[] header = new byte[WireFormat.HEADER_BYTES];
      WireFormat.writeHeader(ByteBuffer.wrap(header), id);
      out.write(header);
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, encoders.get());
      encoders.set(encoder);
      writers.computeIfAbsent(data.getSchema(), SpecificDatumWriter::new).write(data, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot write " + data.getSchema().getFullName() + " to " + topic + ": " + e, e);
    }
  }
}
