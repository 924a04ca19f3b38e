package io.hindsight.testing.kube;

import io.hindsight.testing.process.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder holding etcd, kube-apiserver and kube-controller-manager. Looked up in this order:
 * system property {@code hindsight.kube.bin}, environment variable {@code HINDSIGHT_KUBE_BIN}, then
 * the cache of {@code infra/kube-apiserver/build.sh}: {@code
 * ${HINDSIGHT_KUBE_HOME:-~/.cache/hindsight/kube}/v1.20.2/bin}, which is built on first use.
 */
record KubeBinaries(Path dir) {
  private static final Logger LOG = LoggerFactory.getLogger(KubeBinaries.class);
  static final String VERSION = "v1.20.2";
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(40);

  Path etcd() {
    return dir.resolve("etcd");
  }

  Path apiServer() {
    return dir.resolve("kube-apiserver");
  }

  Path controllerManager() {
    return dir.resolve("kube-controller-manager");
  }

  boolean complete() {
    return Files.isExecutable(etcd())
        && Files.isExecutable(apiServer())
        && Files.isExecutable(controllerManager());
  }

  /** Finds the binaries, building them into the cache when neither location is given. */
  static KubeBinaries locate(Path buildLog) {
    String explicit = System.getProperty("hindsight.kube.bin", System.getenv("HINDSIGHT_KUBE_BIN"));
    if (explicit != null && !explicit.isBlank()) {
      KubeBinaries given = new KubeBinaries(Path.of(explicit));
      if (!given.complete()) {
        throw new IllegalStateException(
            "hindsight.kube.bin / HINDSIGHT_KUBE_BIN = "
                + explicit
                + " lacks etcd, kube-apiserver or kube-controller-manager");
      }
      return given;
    }
    KubeBinaries cached = new KubeBinaries(cacheDir());
    if (!cached.complete()) {
      build(buildLog);
      if (!cached.complete()) {
        throw new IllegalStateException(
            "build.sh succeeded but " + cached.dir() + " lacks binaries; see " + buildLog);
      }
    }
    return cached;
  }

  static Path cacheDir() {
    String home = System.getenv("HINDSIGHT_KUBE_HOME");
    Path root =
        home != null && !home.isBlank()
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"), ".cache", "hindsight", "kube");
    return root.resolve(VERSION).resolve("bin");
  }

  private static void build(Path buildLog) {
    Path script = buildScript();
    LOG.warn(
        "kube-apiserver {} is not built yet: running {} once (~5 minutes on 2 cores; later runs"
            + " use the cache {}); output in {}",
        VERSION,
        script,
        cacheDir(),
        buildLog);
    long t0 = System.nanoTime();
    try {
      Files.createDirectories(buildLog.getParent());
      Process process =
          new ProcessBuilder("bash", script.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(buildLog.toFile()))
              .start();
      if (!process.waitFor(BUILD_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            script
                + " did not finish in "
                + BUILD_TIMEOUT
                + "; "
                + ChildProcess.tail(buildLog, 40));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            script
                + " failed with status "
                + process.exitValue()
                + "; last lines of "
                + buildLog
                + ":\n"
                + ChildProcess.tail(buildLog, 40));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building kube-apiserver", e);
    }
    LOG.info("built kube-apiserver {} in {} s", VERSION, (System.nanoTime() - t0) / 1_000_000_000);
  }

  /** {@code <hindsight.project.root>/infra/kube-apiserver/build.sh}, else found above the cwd. */
  private static Path buildScript() {
    Path relative = Path.of("infra", "kube-apiserver", "build.sh");
    String root = System.getProperty("hindsight.project.root");
    if (root != null && !root.isBlank()) {
      Path script = Path.of(root).resolve(relative);
      if (Files.isRegularFile(script)) {
        return script;
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException(
        "kube binaries missing in "
            + cacheDir()
            + " and "
            + relative
            + " not found (system property hindsight.project.root = "
            + root
            + "); build them with infra/kube-apiserver/build.sh or set HINDSIGHT_KUBE_BIN");
  }
}
