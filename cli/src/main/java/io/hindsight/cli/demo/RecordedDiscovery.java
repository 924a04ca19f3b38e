package io.hindsight.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The discovery documents of a real kube-apiserver 1.20.2 ({@code /version}, {@code /api}, {@code
 * /api/v1}, {@code /apis}, {@code /apis/GROUP}, {@code /apis/GROUP/VERSION}), recorded once and
 * kept as resources under {@value #ROOT}, trimmed to what the simulated API server really serves
 * (see {@code README.md} there for what was left out and how to record them again: {@code
 * RecordedDiscoveryIT} with {@code -Dhindsight.record.discovery=DIR}).
 */
final class RecordedDiscovery {
  static final String ROOT = "/demo/discovery";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DISCOVERY =
      Pattern.compile("/version|/api(/[^/]+)?|/apis(/[^/]+(/[^/]+)?)?");

  private final Map<String, String> byPath;

  private RecordedDiscovery(Map<String, String> byPath) {
    this.byPath = Collections.unmodifiableMap(new LinkedHashMap<>(byPath)); // keeps the order
  }

  /** Reads every recorded document, following {@code /api} and {@code /apis} to the rest. */
  static RecordedDiscovery load() {
    Map<String, String> documents = new LinkedHashMap<>();
    read(documents, "/version");
    JsonNode api = read(documents, "/api");
    for (JsonNode version : api.path("versions")) {
      read(documents, "/api/" + version.asText());
    }
    JsonNode apis = read(documents, "/apis");
    for (JsonNode group : apis.path("groups")) {
      read(documents, "/apis/" + group.path("name").asText());
      for (JsonNode version : group.path("versions")) {
        read(documents, "/apis/" + version.path("groupVersion").asText());
      }
    }
    return new RecordedDiscovery(documents);
  }

  /** Whether {@code path} (no query) asks for a discovery document, recorded or not. */
  static boolean isDiscoveryPath(String path) {
    return DISCOVERY.matcher(path).matches();
  }

  /**
   * The resource holding the document of {@code path}: {@code /apis/apps/v1} → {@code
   * .../apis/apps/v1.json}.
   */
  private static String resource(String path) {
    return ROOT + path + ".json";
  }

  /** The recorded document of {@code path} (no query), if any. */
  Optional<String> document(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  /** Every recorded path, in the order read. */
  Iterable<String> paths() {
    return byPath.keySet();
  }

  private static JsonNode read(Map<String, String> into, String path) {
    String name = resource(path);
    try (InputStream in = RecordedDiscovery.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "recorded discovery incomplete: no resource " + name + " (see " + ROOT + "/README.md)");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      into.put(path, text);
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }
}
