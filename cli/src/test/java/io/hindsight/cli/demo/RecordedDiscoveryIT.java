package io.hindsight.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.testing.kube.KubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorded discovery of the simulated API server is what the real kube-apiserver 1.20.2 serves,
 * trimmed by {@link DiscoveryRecorder}. Records it again when the system property {@value #RECORD}
 * names the resource folder:
 *
 * <pre>
 * ./mvnw -B -pl cli -am verify -o -Dquarkus.build.skip=true -Dtest=none \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=RecordedDiscoveryIT \
 *   -Dfailsafe.failIfNoSpecifiedTests=false \
 *   -Dhindsight.record.discovery=$PWD/cli/src/main/resources/demo/discovery
 * </pre>
 */
class RecordedDiscoveryIT {
  static final String RECORD = "hindsight.record.discovery";
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void theRecordedDiscoveryIsTheRealServersTrimmed() throws Exception {
    Map<String, JsonNode> served;
    try (KubeApiServer kube = KubeApiServer.start(dir.resolve("kube"));
        KubernetesClient client = kube.client()) {
      served = new DiscoveryRecorder(client).record();
    }
    String target = System.getProperty(RECORD, "");
    if (!target.isBlank()) {
      for (var document : served.entrySet()) {
        Path file = Path.of(target + document.getKey() + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(
            file,
            JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document.getValue()) + "\n");
        assertThat(JSON.readTree(Files.readString(file))).isEqualTo(document.getValue());
      }
      return; // the classpath holds the old recording until the next build
    }
    RecordedDiscovery recorded = RecordedDiscovery.load();
    List<String> paths = new ArrayList<>();
    recorded.paths().forEach(paths::add);
    assertThat(paths).containsExactlyElementsOf(served.keySet());
    for (var document : served.entrySet()) {
      assertThat(JSON.readTree(recorded.document(document.getKey()).orElseThrow()))
          .as("recorded %s (record again: see this test's comment)", document.getKey())
          .isEqualTo(document.getValue());
    }
  }
}
