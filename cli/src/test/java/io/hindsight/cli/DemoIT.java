package io.hindsight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hindsight.testing.process.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    Path output = dir.resolve("demo.out");
    Path errors = dir.resolve("demo.err");
    Process demo =
        new ProcessBuilder(command())
            .redirectOutput(output.toFile())
            .redirectError(errors.toFile())
            .start();
    boolean ended = demo.waitFor(12, TimeUnit.MINUTES);
    if (!ended) {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
    String printed = read(output);
    System.out.println("hindsight demo printed:\n" + printed + "\nand on stderr:\n" + read(errors));
    assertThat(ended).as("the demo ended within 12 minutes; it printed:%n%s", printed).isTrue();
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
    // the demo's servers are gone with it. (Not demo.descendants(): once the demo has exited, its
    // orphans belong to init, so that list is empty whatever is left running.)
    String data = dir.resolve("demo").toString();
    assertThat(
            ProcessHandle.allProcesses()
                .filter(p -> ChildProcess.commandLine(p).contains(data))
                .map(p -> p.pid() + " " + ChildProcess.commandLine(p)))
        .as("processes still running on the demo's data directory")
        .isEmpty();
  }

  private List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dhindsight.project.root=" + System.getProperty("hindsight.project.root"));
    command.add("-Dlogback.configurationFile=hindsight-logback.xml"); // as ./hindsight runs it
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(HindsightMain.class.getName());
    command.addAll(List.of("demo", "--data-dir", dir.resolve("demo").toString()));
    return command;
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "(nothing)";
  }
}
