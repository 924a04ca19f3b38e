package io.hindsight.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the Confluent schema-registry REST API: register, look up, fetch by id, and subject
 * compatibility. Answers are cached for the life of the client (ids are immutable), so a steady
 * stream of records costs no HTTP call. Thread-safe.
 *
 * <p>Speaks only the documented API, so it works against Confluent, Karapace, Redpanda and
 * Apicurio's {@code /apis/ccompat/v7}.
 */
public final class SchemaRegistryClient {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ATTEMPTS = 5;

  private final URI baseUrl;
  private final HttpClient http;

  /**
   * Keyed by the Schema itself: Avro caches its hash code and compares the same instance in O(1).
   */
  private final Map<SubjectSchema, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

  private record SubjectSchema(String subject, Schema schema) {}

  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  public SchemaRegistryClient(String baseUrl) {
    this.baseUrl = parse(baseUrl);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static URI parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "schema.registry.url is not set: give the base URL of a Confluent-compatible registry,"
              + " e.g. http://127.0.0.1:8081 or http://127.0.0.1:8080/apis/ccompat/v7");
    }
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    try {
      URI uri = URI.create(trimmed);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "schema.registry.url '" + url + "' is not a URL (" + e.getMessage() + ")", e);
    }
  }

  public String baseUrl() {
    return baseUrl.toString();
  }

  /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectAndSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer =
        call("POST", "/subjects/" + encode(subject) + "/versions", body(schema), subject);
    int id = answer.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException(
          "registry at " + baseUrl + " answered a register without an id: " + answer,
          200,
          false,
          null);
    }
    idsBySubjectAndSchema.put(key, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  /** The id of {@code schema} if it is already registered under {@code subject}. */
  public int lookup(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectAndSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = call("POST", "/subjects/" + encode(subject), body(schema), subject);
    int id = answer.path("id").asInt(-1);
    idsBySubjectAndSchema.put(key, id);
    return id;
  }

  /** The schema with global id {@code id}. */
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = call("GET", "/schemas/ids/" + id, null, "schema id " + id);
    Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  /** Sets the compatibility level of {@code subject}, e.g. {@code BACKWARD_TRANSITIVE}. */
  public void setCompatibility(String subject, String level) {
    call(
        "PUT",
        "/config/" + encode(subject),
        JSON.createObjectNode().put("compatibility", level).toString(),
        subject);
  }

  /** The compatibility level of {@code subject}, falling back to the registry's global level. */
  public String compatibility(String subject) {
    try {
      return call("GET", "/config/" + encode(subject), null, subject)
          .path("compatibilityLevel")
          .asText();
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() != 404) {
        throw e;
      }
      return call("GET", "/config", null, "global config").path("compatibilityLevel").asText();
    }
  }

  private static String body(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8);
  }

  private JsonNode call(String method, String path, String body, String what) {
    SchemaRegistryException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return callOnce(method, path, body, what);
      } catch (SchemaRegistryException e) {
        if (!e.retriable() || attempt == ATTEMPTS) {
          throw e;
        }
        last = e;
        LOG.warn("{} (attempt {} of {}), retrying", e.getMessage(), attempt, ATTEMPTS);
        pause(100L << attempt);
      }
    }
    throw last;
  }

  private JsonNode callOnce(String method, String path, String body, String what) {
    URI uri = URI.create(baseUrl + path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Accept", CONTENT_TYPE);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          "schema registry at "
              + baseUrl
              + " is unreachable ("
              + e
              + "); check schema.registry.url and that the registry runs",
          0,
          true,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted calling " + uri, 0, false, e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new SchemaRegistryException(
            "registry at " + baseUrl + " answered " + method + " " + path + " with non-JSON",
            status,
            false,
            e);
      }
    }
    String message =
        switch (status) {
          case 404 -> what + " not found in the registry at " + baseUrl;
          case 409 -> "schema for " + what + " is incompatible with the subject's earlier versions";
          case 422 -> "registry rejected the schema for " + what + " as invalid";
          default -> "registry at " + baseUrl + " answered HTTP " + status + " for " + what;
        };
    throw new SchemaRegistryException(
        message + ": " + response.body(), status, status >= 500 || status == 429, null);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
