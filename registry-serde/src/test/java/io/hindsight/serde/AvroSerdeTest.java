package io.hindsight.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.schemas.avro.Origin;
import io.hindsight.testing.registry.FakeRegistry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private FakeRegistry fake;
  private SchemaRegistryClient registry;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeRegistry();
    registry = new SchemaRegistryClient(fake.url());
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  static ChangeLogRecord change(String name) {
    return new ChangeLogRecord(
        ChangeEnvelope.newBuilder()
            .setEventType(EventType.MODIFIED)
            .setOrigin(Origin.WATCH)
            .setCluster("prod")
            .setApiVersion("v1")
            .setKind("ConfigMap")
            .setNamespace("shop")
            .setName(name)
            .setUid("u-1")
            .setResourceVersion("42")
            .setGeneration(null)
            .setObservedAt(Instant.parse("2026-11-23T14:32:00.123456Z"))
            .setObject("{\"kind\":\"ConfigMap\"}")
            .setObjectHash("ab")
            .setLabels(Map.of("app", "shop"))
            .build());
  }

  @Test
  void roundTripsInTheConfluentWireFormat() {
    var serializer = new AvroSerializer<ChangeLogRecord>(registry, false);
    var deserializer = new AvroDeserializer<>(ChangeLogRecord.class, registry);

    byte[] bytes = serializer.serialize("hindsight.changes", change("a"));

    ByteBuffer header = ByteBuffer.wrap(bytes);
    assertThat(header.get()).isZero();
    assertThat(header.getInt()).isEqualTo(1);
    assertThat(deserializer.deserialize("hindsight.changes", bytes)).isEqualTo(change("a"));
  }

  @Test
  void keysAndValuesRegisterUnderTheirOwnSubjectsOnce() {
    var keys = new AvroSerializer<ObjectKey>(registry, true);
    var values = new AvroSerializer<ChangeLogRecord>(registry, false);
    for (int i = 0; i < 100; i++) {
      keys.serialize("t", new ObjectKey("prod", "", "ConfigMap", "shop", "n" + i));
      values.serialize("t", change("n" + i));
    }
    assertThat(fake.calls.get()).as("one register call per subject, then cached").isEqualTo(2);
  }

  @Test
  void aFreshDeserializerFetchesTheWriterSchemaOnceById() {
    byte[] bytes = new AvroSerializer<ChangeLogRecord>(registry, false).serialize("t", change("a"));
    var fresh = new SchemaRegistryClient(fake.url());
    var deserializer = new AvroDeserializer<>(ChangeLogRecord.class, fresh);
    int before = fake.calls.get();
    for (int i = 0; i < 10; i++) {
      deserializer.deserialize("t", bytes);
    }
    assertThat(fake.calls.get() - before).isEqualTo(1);
  }

  @Test
  void refusesBytesThatAreNotTheWireFormat() {
    var deserializer = new AvroDeserializer<>(ChangeLogRecord.class, registry);
    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {1, 0, 0, 0, 1, 2}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("magic byte 0");
    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void anUnknownSchemaIdNamesTheIdAndTopic() {
    var deserializer = new AvroDeserializer<>(ChangeLogRecord.class, registry);
    assertThatThrownBy(() -> deserializer.deserialize("topic-x", new byte[] {0, 0, 0, 0, 9, 2}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic-x")
        .hasMessageContaining("schema id 9 not found");
  }

  @Test
  void anUnreachableRegistryNamesTheSetting() throws Exception {
    String url = fake.url();
    fake.close();
    var serializer = new AvroSerializer<ObjectKey>(new SchemaRegistryClient(url), true);
    assertThatThrownBy(() -> serializer.serialize("t", new ObjectKey("c", "", "K", "n", "x")))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("unreachable")
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void anIncompatibleSchemaIsAFinalError() {
    fake.forcedStatus = 409;
    assertThatThrownBy(() -> registry.register("s", ObjectKey.getClassSchema()))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.retriable()).isFalse();
              assertThat(e.httpStatus()).isEqualTo(409);
            })
        .hasMessageContaining("incompatible");
  }

  @Test
  void aMissingOrBadUrlIsExplained() {
    assertThatThrownBy(() -> new SchemaRegistryClient(" "))
        .hasMessageContaining("schema.registry.url is not set");
    assertThatThrownBy(() -> new SchemaRegistryClient("not a url"))
        .hasMessageContaining("is not a URL");
    assertThatThrownBy(() -> new AvroSerializer<ObjectKey>().configure(Map.of(), true))
        .hasMessageContaining("schema.registry.url is missing");
  }
}
