package io.hindsight.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry process: the Confluent-compatible API, and schemas that survive a restart. */
class RegistryServerIT {
  private static final String TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String V1 =
      "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"A\\\",\\\"fields\\\":[{\\\"name\\\":\\\"x\\\",\\\"type\\\":\\\"string\\\"}]}\"}";
  private static final String INCOMPATIBLE =
      "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"A\\\",\\\"fields\\\":[{\\\"name\\\":\\\"y\\\",\\\"type\\\":\\\"int\\\"}]}\"}";
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  private HttpResponse<String> call(String method, String url, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).header("Content-Type", TYPE);
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void registersLooksUpRejectsIncompatibleAndRemembersAcrossARestart() throws Exception {
    try (RegistryServer registry = RegistryServer.start(dir)) {
      String subjects = registry.url() + "/subjects/t-value/versions";
      HttpResponse<String> first = call("POST", subjects, V1);
      assertThat(first.statusCode()).isEqualTo(200);
      String id = first.body().replaceAll("[^0-9]", "");
      assertThat(call("POST", subjects, V1).body()).as("idempotent").isEqualTo(first.body());
      assertThat(
              call("PUT", registry.url() + "/config/t-value", "{\"compatibility\":\"BACKWARD\"}")
                  .statusCode())
          .isEqualTo(200);
      assertThat(call("POST", subjects, INCOMPATIBLE).statusCode()).isEqualTo(409);

      registry.restart();

      HttpResponse<String> byId = call("GET", registry.url() + "/schemas/ids/" + id, null);
      assertThat(byId.statusCode()).isEqualTo(200);
      assertThat(byId.body()).contains("\\\"name\\\":\\\"x\\\"");
      assertThat(call("GET", registry.url() + "/config/t-value", null).body()).contains("BACKWARD");
      assertThat(call("POST", subjects, V1).body()).isEqualTo(first.body());
    }
  }
}
