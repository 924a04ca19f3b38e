package io.hindsight.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.testing.registry.RegistryExtension;
import io.hindsight.testing.registry.RegistryServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The serde against the real registry (Apicurio's Confluent-compatible API). */
@ExtendWith(RegistryExtension.class)
class AvroSerdeIT {

  @Test
  void roundTripsWithIdsTheRegistryAssigned(RegistryServer server) {
    SchemaRegistryClient registry = new SchemaRegistryClient(server.url());
    var serializer = new AvroSerializer<ChangeLogRecord>(registry, false);
    byte[] bytes = serializer.serialize("serde-it", AvroSerdeTest.change("a"));

    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertThat(bytes[0]).isZero();
    assertThat(registry.register("serde-it-value", ChangeLogRecord.getClassSchema())).isEqualTo(id);
    var fresh =
        new AvroDeserializer<>(ChangeLogRecord.class, new SchemaRegistryClient(server.url()));
    assertThat(fresh.deserialize("serde-it", bytes)).isEqualTo(AvroSerdeTest.change("a"));
  }

  @Test
  void dataOfAnEarlierCompatibleVersionReadsIntoTheCurrentClass(RegistryServer server)
      throws Exception {
    SchemaRegistryClient registry = new SchemaRegistryClient(server.url());
    // an "earlier" ObjectKey without the namespace field would not be compatible; one with an
    // extra field the current class lacks is: the reader ignores it
    Schema older =
        SchemaBuilder.record("ObjectKey")
            .namespace("io.hindsight.schemas.avro")
            .fields()
            .requiredString("cluster")
            .requiredString("apiGroup")
            .requiredString("kind")
            .requiredString("namespace")
            .requiredString("name")
            .requiredString("retired")
            .endRecord();
    int id = registry.register("evolve-key", older);
    GenericRecord record = new GenericData.Record(older);
    for (String field :
        new String[] {"cluster", "apiGroup", "kind", "namespace", "name", "retired"}) {
      record.put(field, field + "-value");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(older).write(record, encoder);
    encoder.flush();

    ObjectKey key =
        new AvroDeserializer<>(ObjectKey.class, registry).deserialize("evolve", out.toByteArray());
    assertThat(key.getName()).isEqualTo("name-value");
    assertThat(key.getNamespace()).isEqualTo("namespace-value");
  }

  @Test
  void backwardTransitiveSubjectsRefuseABreakingChange(RegistryServer server) {
    SchemaRegistryClient registry = new SchemaRegistryClient(server.url());
    registry.register("strict-value", ObjectKey.getClassSchema());
    registry.setCompatibility("strict-value", "BACKWARD_TRANSITIVE");
    assertThat(registry.compatibility("strict-value")).isEqualTo("BACKWARD_TRANSITIVE");
    Schema breaking =
        SchemaBuilder.record("ObjectKey")
            .namespace("io.hindsight.schemas.avro")
            .fields()
            .requiredString("cluster")
            .requiredString("uid")
            .endRecord();
    assertThatThrownBy(() -> registry.register("strict-value", breaking))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409))
        .hasMessageContaining("incompatible");
  }
}
