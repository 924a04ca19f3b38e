package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The canonical writer must give exactly the bytes the hash was defined over (ADR 0001): Jackson's
 * key-sorted serialization of the tree without top-level metadata.resourceVersion and
 * metadata.managedFields. Otherwise every object would look changed to a watcher restarted on
 * another version, and be published again.
 */
class CanonicalJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper SORTED =
      new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The hash input as it was defined: the tree without the two fields, sorted by Jackson. */
  private static byte[] reference(JsonNode tree) throws Exception {
    JsonNode copy = tree.deepCopy();
    if (copy.get("metadata") instanceof ObjectNode meta) {
      meta.remove(List.of("resourceVersion", "managedFields"));
    }
    return SORTED.writeValueAsBytes(copy);
  }

  private static void assertCanonical(JsonNode tree) throws Exception {
    CanonicalJson canonical = CanonicalJson.of(tree);
    assertThat(new String(canonical.hashInput(), "UTF-8"))
        .isEqualTo(new String(reference(tree), "UTF-8"));
    // the published JSON: the whole tree, as Jackson writes it with sorted keys
    assertThat(canonical.json()).isEqualTo(SORTED.writeValueAsBytes(tree));
  }

  @Test
  void aConfigMapHashesAsBeforeWhereverTheExcludedFieldsSit() throws Exception {
    String[] metadatas = {
      "{\"name\":\"a\",\"resourceVersion\":\"7\",\"managedFields\":[{\"manager\":\"kubectl\"}],"
          + "\"namespace\":\"shop\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"}",
      "{\"managedFields\":[],\"resourceVersion\":\"1\"}",
      "{\"resourceVersion\":\"1\"}",
      "{\"managedFields\":[{\"a\":1}],\"name\":\"first-is-excluded\"}",
      "{\"name\":\"last-is-excluded\",\"resourceVersion\":\"9\"}",
      "{\"name\":\"none-excluded\",\"uid\":\"u\"}",
      "{}",
      "\"not an object\"",
    };
    for (String metadata : metadatas) {
      assertCanonical(
          JSON.readTree(
              "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":"
                  + metadata
                  + ",\"data\":{\"z\":\"last\",\"a\":\"line 1\\nline \\\"2\\\"\\t\\u0001 é 日本 🎉\"}}"));
    }
  }

  @Test
  void nestedMetadataIsHashedWhole() throws Exception {
    assertCanonical(
        JSON.readTree(
            "{\"metadata\":{\"name\":\"d\",\"resourceVersion\":\"3\"},\"spec\":{\"template\":"
                + "{\"metadata\":{\"resourceVersion\":\"kept\",\"managedFields\":[1]}}}}"));
  }

  @Test
  void everyKindOfValueIsWrittenAsJacksonWritesIt() throws Exception {
    ObjectNode tree = NODES.objectNode();
    tree.put("int", 42)
        .put("long", 1L << 40)
        .put("double", 0.1)
        .put("float", 1.5f)
        .put("big", new BigInteger("123456789012345678901234567890"))
        .put("decimal", new BigDecimal("1.50"))
        .put("true", true)
        .put("text", "")
        .putNull("null");
    tree.putArray("empty");
    tree.putObject("emptyObject");
    tree.putObject("metadata").put("resourceVersion", "1").put("name", "n");
    assertCanonical(tree);
  }

  @Test
  void randomTreesMatchTheReference() throws Exception {
    Random random = new Random(20261201);
    for (int i = 0; i < 500; i++) {
      ObjectNode tree = (ObjectNode) randomObject(random, 0);
      ObjectNode meta = tree.putObject("metadata");
      for (String field :
          List.of("uid", "resourceVersion", "labels", "managedFields", "name", "annotations")) {
        if (random.nextBoolean()) {
          meta.set(field, randomValue(random, 2));
        }
      }
      assertCanonical(tree);
    }
  }

  private static JsonNode randomObject(Random random, int depth) {
    ObjectNode object = NODES.objectNode();
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      object.set(randomText(random), randomValue(random, depth + 1));
    }
    return object;
  }

  private static JsonNode randomValue(Random random, int depth) {
    int pick = random.nextInt(depth > 3 ? 5 : 7);
    switch (pick) {
      case 0:
        return NODES.textNode(randomText(random));
      case 1:
        return NODES.numberNode(random.nextLong());
      case 2:
        return NODES.numberNode(random.nextDouble() * 1e6);
      case 3:
        return NODES.booleanNode(random.nextBoolean());
      case 4:
        return NODES.nullNode();
      case 5:
        ArrayNode array = NODES.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          array.add(randomValue(random, depth + 1));
        }
        return array;
      default:
        return randomObject(random, depth);
    }
  }

  private static String randomText(Random random) {
    int[] alphabet = "abcXYZ019_-./:\"\\\n\t é日🎉\u0000\u001f".codePoints().toArray();
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      text.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
    }
    return text.toString();
  }
}
