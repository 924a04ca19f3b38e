package io.hindsight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Wrong or missing configuration: a one-line reason naming the setting, exit 2, nothing started.
 */
class StandaloneCommandTest {
  @TempDir Path dir;

  record Run(int code, String err) {}

  private Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StandaloneCommand command =
        new StandaloneCommand(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    int code = new CommandLine(command).execute(args);
    return new Run(code, err.toString(StandardCharsets.UTF_8));
  }

  private Path kubeconfig() throws Exception {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: lab
          cluster: {server: "https://127.0.0.1:1"}
        contexts:
        - name: Lab Context
          context: {cluster: lab, user: me}
        current-context: Lab Context
        users:
        - name: me
          user: {token: t}
        """);
    return file;
  }

  @Test
  void aMissingKubeconfigIsNamed() {
    Run run = run("--data-dir", dir.resolve("data").toString(), "--kubeconfig", "/nowhere/config");
    assertThat(run.code()).isEqualTo(StandaloneCommand.CONFIG);
    assertThat(run.err()).contains("--kubeconfig /nowhere/config").hasLineCount(1);
  }

  @Test
  void aDataDirectoryThatCannotBeWrittenIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
    Run run =
        run("--data-dir", file.resolve("sub").toString(), "--kubeconfig", kubeconfig().toString());
    assertThat(run.code()).isEqualTo(StandaloneCommand.CONFIG);
    assertThat(run.err()).contains("data directory").contains("--data-dir").hasLineCount(1);
  }

  @Test
  void aPortInUseIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("0.0.0.0", 0));
      Run run =
          run(
              "--data-dir", dir.resolve("data").toString(),
              "--kubeconfig", kubeconfig().toString(),
              "--watcher-http-port", String.valueOf(taken.getLocalPort()));
      assertThat(run.code()).isEqualTo(StandaloneCommand.CONFIG);
      assertThat(run.err()).contains("--watcher-http-port").contains("in use").hasLineCount(1);
    }
  }

  @Test
  void anUnknownOrBadSettingIsNamed() throws Exception {
    Run unknown =
        run(
            "--data-dir",
            dir.resolve("data").toString(),
            "--kubeconfig",
            kubeconfig().toString(),
            "--set",
            "materializer.speed=11");
    assertThat(unknown.code()).isEqualTo(StandaloneCommand.CONFIG);
    assertThat(unknown.err()).contains("materializer.speed").hasLineCount(1);
    Run bad =
        run(
            "--data-dir",
            dir.resolve("data").toString(),
            "--kubeconfig",
            kubeconfig().toString(),
            "--set",
            "materializer.commit-interval-ms=soon");
    assertThat(bad.code()).isEqualTo(StandaloneCommand.CONFIG);
    assertThat(bad.err()).contains("materializer.commit-interval-ms").hasLineCount(1);
  }

  @Test
  void theClusterIsNamedAfterTheKubeconfigContext() throws Exception {
    StandaloneCommand command = new StandaloneCommand();
    new CommandLine(command).parseArgs("--kubeconfig", kubeconfig().toString());
    var plan = command.plan(new DataDirectory(dir));
    assertThat(plan.watcher()).containsEntry("watcher.cluster-name", "lab-context");
  }
}
