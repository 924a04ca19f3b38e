package io.hindsight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hindsight demo} as a newcomer runs it: a process of its own, no cluster, broker or
 * registry given. It must finish with exit code 0, having restored Online Boutique as it was before
 * the changes: the old frontend image, one cartservice replica, the deleted adservice back, all 24
 * objects created and none failed.
 */
class DemoIT {
  @TempDir Path dir;

  @Test
  void theDemoRestoresTheNamespaceAsItWasBeforeTheChanges() throws Exception {
    DemoRun demo = DemoRun.of(dir, Duration.ofMinutes(12));
    String printed = demo.printed();
    assertThat(demo.ended())
        .as("the demo ended within 12 minutes; it printed:%n%s", printed)
        .isTrue();
    assertThat(demo.exitValue()).as("exit code; it printed:%n%s", printed).isZero();

    Matcher restore =
        Pattern.compile("COMPLETED: (\\d+) objects created, (\\d+) failed").matcher(printed);
    assertThat(restore.find()).as("a completed restore in:%n%s", printed).isTrue();
    // 12 Deployments and 12 Services; the namespace's default ServiceAccount too when the restore
    // creates it before the service-account controller does
    assertThat(Integer.parseInt(restore.group(1))).isBetween(24, 25);
    assertThat(Integer.parseInt(restore.group(2))).isZero();
    assertThat(printed)
        .containsPattern("frontend image\\s+\\S+frontend:v0\\.7\\.0\\s+ok")
        .containsPattern("cartservice replicas\\s+1\\s+ok")
        .containsPattern("adservice\\s+present\\s+ok")
        .containsPattern("objects\\s+12 Deployments, 12 Services\\s+ok")
        .containsPattern("MODIFIED\\s+Deployment\\s+frontend\\s+replicas=1 image=\\S+:v0\\.8\\.0")
        .containsPattern("DELETED\\s+Deployment\\s+adservice")
        .doesNotContain("WRONG");
    // every step of the demo reports how long it took
    assertThat(printed)
        .containsPattern(
            "restoring boutique as it was at \\S+ into boutique-restored \\.\\.\\. done in \\d+\\.\\d s");
    // the demo's servers are gone with it
    assertThat(DemoRun.leftovers(dir))
        .as("processes still running on the demo's data directory")
        .isEmpty();
  }
}
