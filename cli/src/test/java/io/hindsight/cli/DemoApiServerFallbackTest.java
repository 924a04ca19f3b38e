package io.hindsight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo falls back to the simulated API server when the real one cannot start — here because
 * {@code hindsight.kube.bin} names a folder without the binaries — and says why.
 */
class DemoApiServerFallbackTest {
  @TempDir Path dir;

  @AfterEach
  void clear() {
    System.clearProperty("hindsight.kube.bin");
  }

  @Test
  void withoutTheRealBinariesTheDemoRunsAgainstTheSimulatedApiServer() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("no-binaries"));
    System.setProperty("hindsight.kube.bin", empty.toString());

    try (DemoApiServer server = new DemoCommand().startApiServer(dir.resolve("run"));
        KubernetesClient client = server.client()) {
      assertThat(server.simulatedBecause())
          .hasValueSatisfying(
              because ->
                  assertThat(because)
                      .startsWith("the real kube-apiserver could not start")
                      .contains(empty.toString()));
      assertThat(Files.readString(server.kubeconfigPath())).contains("SIMULATED");
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName("n").endMetadata().build())
          .create();
      assertThat(client.namespaces().withName("n").get()).isNotNull();
      assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.20.2");
    }
  }
}
