package io.hindsight.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.ObjectKey;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guards the wire contract. Every schema ever released is frozen under {@code
 * src/test/resources/frozen/<Name>/vN.avsc}. The current schema must equal the newest frozen one
 * (so a change is a deliberate new version) and must read data written by every frozen version
 * (BACKWARD_TRANSITIVE, the compatibility the registry subjects are set to).
 */
class SchemaCompatibilityTest {

  @ParameterizedTest
  @ValueSource(strings = {"ChangeLogRecord", "ObjectKey", "WatcherStateRecord"})
  void currentSchemaIsTheNewestFrozenVersion(String name) throws IOException {
    List<Schema> frozen = frozenVersions(name);
    Schema newest = frozen.get(frozen.size() - 1);

    assertThat(current(name))
        .as(
            "%s.avsc changed since frozen v%d: if the change is BACKWARD_TRANSITIVE compatible,"
                + " copy it to src/test/resources/frozen/%s/v%d.avsc",
            name, frozen.size(), name, frozen.size() + 1)
        .isEqualTo(newest);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ChangeLogRecord", "ObjectKey", "WatcherStateRecord"})
  void everyVersionReadsDataOfEveryEarlierVersion(String name) throws IOException {
    List<Schema> versions = new ArrayList<>(frozenVersions(name));
    versions.add(current(name));
    for (int reader = 1; reader < versions.size(); reader++) {
      for (int writer = 0; writer < reader; writer++) {
        assertThat(incompatibilities(versions.get(reader), versions.get(writer)))
            .as("%s: version %d cannot read data of version %d", name, reader + 1, writer + 1)
            .isEmpty();
      }
    }
  }

  @Test
  void aRequiredFieldWithoutDefaultIsCaught() throws IOException {
    Schema current = current("ObjectKey");
    Schema broken =
        SchemaBuilder.record(current.getName())
            .namespace(current.getNamespace())
            .fields()
            .requiredString("cluster")
            .requiredString("apiGroup")
            .requiredString("kind")
            .requiredString("namespace")
            .requiredString("name")
            .requiredString("version")
            .endRecord();

    assertThat(incompatibilities(broken, current)).isNotEmpty();
  }

  @Test
  void generatedClassesMatchTheSchemaFiles() throws IOException {
    // the generated classes carry Java-only properties (avro.java.string): compare canonical forms
    assertThat(SchemaNormalization.toParsingForm(ChangeLogRecord.getClassSchema()))
        .isEqualTo(SchemaNormalization.toParsingForm(current("ChangeLogRecord")));
    assertThat(SchemaNormalization.toParsingForm(ObjectKey.getClassSchema()))
        .isEqualTo(SchemaNormalization.toParsingForm(current("ObjectKey")));
  }

  private static List<String> incompatibilities(Schema reader, Schema writer) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    return result.getResult().getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
        .toList();
  }

  private static Schema current(String name) throws IOException {
    return parse("/io/hindsight/schemas/avro/" + name + ".avsc");
  }

  private static List<Schema> frozenVersions(String name) throws IOException {
    List<Schema> versions = new ArrayList<>();
    for (int v = 1; ; v++) {
      String path = "/frozen/" + name + "/v" + v + ".avsc";
      if (SchemaCompatibilityTest.class.getResource(path) == null) {
        break;
      }
      versions.add(parse(path));
    }
    assertThat(versions).as("no frozen version of %s", name).isNotEmpty();
    return versions;
  }

  private static Schema parse(String resource) throws IOException {
    try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream(resource)) {
      assertThat(in).as("resource %s", resource).isNotNull();
      return new Schema.Parser().parse(in);
    }
  }
}
