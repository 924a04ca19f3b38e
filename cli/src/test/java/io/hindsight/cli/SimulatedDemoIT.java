package io.hindsight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hindsight demo --simulated}, a process of its own as {@link DemoIT} runs the demo: against
 * the simulated API server it must say so at the start and in the summary, and still restore Online
 * Boutique as it was before the changes, by the same checks.
 */
class SimulatedDemoIT {
  @TempDir Path dir;

  @Test
  void theSimulatedDemoRestoresTheNamespaceAndSaysItIsSimulated() throws Exception {
    DemoRun demo = DemoRun.of(dir, Duration.ofMinutes(8), "--simulated");
    String printed = demo.printed();
    assertThat(demo.ended())
        .as("the demo ended within 8 minutes; it printed:%n%s", printed)
        .isTrue();
    assertThat(demo.exitValue()).as("exit code; it printed:%n%s", printed).isZero();

    // labelled at the start (before any other server starts) and in the summary, with the reason
    assertThat(printed)
        .containsPattern(
            "API server: SIMULATED \\(fabric8 mock server[^\\n]*\\n\\s+because --simulated was"
                + " given\\n(.*\\n)?\\[[ \\d.]+ s\\] starting the SIMULATED API server")
        .containsPattern(
            "Done in [^\\n]+\\n(.*\\n)*API server: SIMULATED \\(fabric8 mock server.*\\), because"
                + " --simulated was given")
        .doesNotContain("starting kube-apiserver");
    Matcher restore =
        Pattern.compile("COMPLETED: (\\d+) objects created, (\\d+) failed").matcher(printed);
    assertThat(restore.find()).as("a completed restore in:%n%s", printed).isTrue();
    // 12 Deployments, 12 Services and the namespace boutique-restored (no controllers: no
    // ReplicaSets, no default ServiceAccount)
    assertThat(Integer.parseInt(restore.group(1))).isEqualTo(25);
    assertThat(Integer.parseInt(restore.group(2))).isZero();
    assertThat(printed)
        .containsPattern("frontend image\\s+\\S+frontend:v0\\.7\\.0\\s+ok")
        .containsPattern("cartservice replicas\\s+1\\s+ok \\(live: 3\\)")
        .containsPattern("adservice\\s+present\\s+ok")
        .containsPattern("objects\\s+12 Deployments, 12 Services\\s+ok")
        .containsPattern("MODIFIED\\s+Deployment\\s+frontend\\s+replicas=1 image=\\S+:v0\\.8\\.0")
        .containsPattern("MODIFIED\\s+Deployment\\s+cartservice\\s+replicas=3")
        .containsPattern("DELETED\\s+Deployment\\s+adservice")
        .doesNotContain("WRONG");
    assertThat(DemoRun.leftovers(dir))
        .as("processes still running on the demo's data directory")
        .isEmpty();
  }
}
