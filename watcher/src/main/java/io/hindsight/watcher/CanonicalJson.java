package io.hindsight.watcher;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * An object's JSON in canonical form — compact, keys sorted at every level — written once, and the
 * input of its hash taken from the same bytes: the canonical JSON without the top-level {@code
 * metadata.resourceVersion} and {@code metadata.managedFields}, exactly the bytes Jackson writes
 * for the tree without those fields under {@code JsonNodeFeature.WRITE_PROPERTIES_SORTED} (the
 * hash's definition, ADR 0001). One serialization instead of three (tree to string, sorted copy for
 * the hash, string again for Avro), and no second tree.
 */
final class CanonicalJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();
  private static final SerializerProvider PROVIDER = MAPPER.getSerializerProviderInstance();
  private static final String METADATA = "metadata";
  private static final String RESOURCE_VERSION = "resourceVersion";
  private static final String MANAGED_FIELDS = "managedFields";

  private final byte[] json;
  // where metadata's fields lie in json: [start, end) of each, the start before its comma
  private final int[] fieldStarts;
  private final int[] fieldEnds;
  private final boolean[] hashed;

  private CanonicalJson(byte[] json, int[] fieldStarts, int[] fieldEnds, boolean[] hashed) {
    this.json = json;
    this.fieldStarts = fieldStarts;
    this.fieldEnds = fieldEnds;
    this.hashed = hashed;
  }

  /** Writes {@code tree} in canonical form. */
  static CanonicalJson of(JsonNode tree) {
    ByteArrayBuilder out = new ByteArrayBuilder(4096);
    Writer writer = new Writer(out);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writer.g = g;
      writer.top(tree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write canonical JSON", e);
    }
    byte[] bytes = out.toByteArray();
    return new CanonicalJson(bytes, writer.starts, writer.ends, writer.hashed);
  }

  /** The canonical JSON, UTF-8. */
  byte[] json() {
    return json;
  }

  /**
   * The bytes the hash is taken over: the canonical JSON without resourceVersion and managedFields.
   */
  byte[] hashInput() {
    if (fieldStarts == null || allHashed()) {
      return json;
    }
    ByteArrayBuilder out = new ByteArrayBuilder(json.length);
    int n = fieldStarts.length;
    // up to and including metadata's '{'
    int open = fieldStarts[0];
    out.write(json, 0, open);
    boolean first = true;
    for (int i = 0; i < n; i++) {
      if (!hashed[i]) {
        continue;
      }
      // every field but the first was written with a leading comma
      int from = i == 0 ? fieldStarts[i] : fieldStarts[i] + 1;
      if (!first) {
        out.write(',');
      }
      out.write(json, from, fieldEnds[i] - from);
      first = false;
    }
    int close = fieldEnds[n - 1];
    out.write(json, close, json.length - close);
    return out.toByteArray();
  }

  private boolean allHashed() {
    for (boolean h : hashed) {
      if (!h) {
        return false;
      }
    }
    return true;
  }

  /** One walk over the tree; notes where the top-level metadata's fields are written. */
  private static final class Writer {
    private final ByteArrayBuilder out;
    JsonGenerator g;
    int[] starts;
    int[] ends;
    boolean[] hashed;

    Writer(ByteArrayBuilder out) {
      this.out = out;
    }

    private int position() {
      return out.size() + g.getOutputBuffered();
    }

    void top(JsonNode tree) throws IOException {
      if (!(tree instanceof ObjectNode object)) {
        value(tree);
        return;
      }
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> field : sorted(object)) {
        g.writeFieldName(field.getKey());
        if (field.getKey().equals(METADATA)
            && field.getValue() instanceof ObjectNode meta
            && !meta.isEmpty()) {
          metadata(meta);
        } else {
          value(field.getValue());
        }
      }
      g.writeEndObject();
    }

    private void metadata(ObjectNode meta) throws IOException {
      Map.Entry<String, JsonNode>[] fields = sorted(meta);
      starts = new int[fields.length];
      ends = new int[fields.length];
      hashed = new boolean[fields.length];
      g.writeStartObject();
      for (int i = 0; i < fields.length; i++) {
        String name = fields[i].getKey();
        starts[i] = position();
        g.writeFieldName(name);
        value(fields[i].getValue());
        ends[i] = position();
        hashed[i] = !name.equals(RESOURCE_VERSION) && !name.equals(MANAGED_FIELDS);
      }
      g.writeEndObject();
    }

    private void value(JsonNode node) throws IOException {
      if (node instanceof ObjectNode object) {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> field : sorted(object)) {
          g.writeFieldName(field.getKey());
          value(field.getValue());
        }
        g.writeEndObject();
      } else if (node.isArray()) {
        g.writeStartArray();
        for (JsonNode element : node) {
          value(element);
        }
        g.writeEndArray();
      } else {
        node.serialize(g, PROVIDER);
      }
    }

    @SuppressWarnings("unchecked")
    private static Map.Entry<String, JsonNode>[] sorted(ObjectNode object) {
      Map.Entry<String, JsonNode>[] fields = object.properties().toArray(new Map.Entry[0]);
      if (fields.length > 1) {
        Arrays.sort(fields, Map.Entry.comparingByKey());
      }
      return fields;
    }
  }
}
