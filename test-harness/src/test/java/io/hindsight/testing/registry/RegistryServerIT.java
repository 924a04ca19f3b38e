package io.hindsight.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The registry process: its Confluent-compatible API, and schemas that survive a restart. */
@ExtendWith(RegistryExtension.class)
class RegistryServerIT {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V1 =
      """
      {"type":"record","name":"Change","namespace":"it","fields":[
        {"name":"uid","type":"string"}]}""";

  /** V1 plus a field with a default: readers of V2 can read V1 data (BACKWARD). */
  private static final String V2_COMPATIBLE =
      """
      {"type":"record","name":"Change","namespace":"it","fields":[
        {"name":"uid","type":"string"},
        {"name":"kind","type":"string","default":""}]}""";

  /** V1 plus a field without a default: readers of it cannot read V1 data. */
  private static final String V2_INCOMPATIBLE =
      """
      {"type":"record","name":"Change","namespace":"it","fields":[
        {"name":"uid","type":"string"},
        {"name":"generation","type":"long"}]}""";

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void registersLooksUpAndKeepsSchemasAcrossARestart(RegistryServer registry) {
    String subject = uniqueSubject();
    HttpResponse<String> registered = register(registry, subject, V1);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    int id = json(registered).get("id").asInt();

    assertThat(schemaById(registry, id)).isEqualTo(V1);
    assertThat(json(register(registry, subject, V1)).get("id").asInt())
        .as("registering the same schema again is idempotent")
        .isEqualTo(id);
    JsonNode lookedUp = json(post(registry.url() + "/subjects/" + subject, schemaBody(V1)));
    assertThat(lookedUp.get("id").asInt()).isEqualTo(id);
    assertThat(lookedUp.get("version").asInt()).isEqualTo(1);

    registry.restart();

    assertThat(schemaById(registry, id)).as("same id, same schema after a restart").isEqualTo(V1);
    assertThat(json(register(registry, subject, V1)).get("id").asInt()).isEqualTo(id);
    int next = json(register(registry, uniqueSubject(), V2_INCOMPATIBLE)).get("id").asInt();
    assertThat(next).as("ids are not handed out twice after a restart").isGreaterThan(id);
  }

  @Test
  void rejectsAnIncompatibleSchemaUnderBackwardCompatibility(RegistryServer registry) {
    String subject = uniqueSubject();
    HttpResponse<String> config =
        send(
            "PUT",
            registry.url() + "/config/" + subject,
            write(Map.of("compatibility", "BACKWARD")));
    assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
    int v1 = json(register(registry, subject, V1)).get("id").asInt();

    HttpResponse<String> rejected = register(registry, subject, V2_INCOMPATIBLE);
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(409);

    HttpResponse<String> accepted = register(registry, subject, V2_COMPATIBLE);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(json(accepted).get("id").asInt()).isNotEqualTo(v1);
    assertThat(json(get(registry.url() + "/config/" + subject)).get("compatibilityLevel").asText())
        .isEqualTo("BACKWARD");
  }

  @Test
  void aNewServerOnTheSameDataDirectoryServesTheSchemas(@TempDir Path dir) {
    int id;
    int port;
    String subject = uniqueSubject();
    try (RegistryServer first = RegistryServer.start(dir)) {
      id = json(register(first, subject, V1)).get("id").asInt();
      port = first.port();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .alias("nothing listens on 127.0.0.1:" + port + " after close()")
        .until(() -> !listening(port));
    assertThat(dir.resolve("registry.mv.db")).isRegularFile();
    assertThat(dir.resolve("registry.log")).isRegularFile();

    try (RegistryServer second = RegistryServer.start(dir)) {
      assertThat(schemaById(second, id)).isEqualTo(V1);
    }
  }

  @Test
  void failsWithTheEndOfTheLogWhenTheProcessDies(@TempDir Path dir) throws IOException {
    Path notAJar = Files.writeString(dir.resolve("quarkus-run.jar"), "not a jar");

    assertThatThrownBy(() -> RegistryServer.start(notAJar, dir.resolve("data"), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with status")
        .hasMessageContaining("registry.log")
        .hasMessageContaining("jarfile");
  }

  private static String uniqueSubject() {
    return "it-" + UUID.randomUUID() + "-value";
  }

  private HttpResponse<String> register(RegistryServer registry, String subject, String schema) {
    return post(registry.url() + "/subjects/" + subject + "/versions", schemaBody(schema));
  }

  private String schemaById(RegistryServer registry, int id) {
    HttpResponse<String> response = get(registry.url() + "/schemas/ids/" + id);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).get("schema").asText();
  }

  private static String schemaBody(String schema) {
    return write(Map.of("schema", schema));
  }

  private HttpResponse<String> get(String url) {
    return send("GET", url, null);
  }

  private HttpResponse<String> post(String url, String body) {
    return send("POST", url, body);
  }

  private HttpResponse<String> send(String method, String url, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", CONTENT_TYPE)
            .header("Accept", CONTENT_TYPE)
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean listening(int port) {
    try {
      new Socket(InetAddress.getLoopbackAddress(), port).close();
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
