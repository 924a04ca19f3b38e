package io.hindsight.testing.registry;

import io.hindsight.testing.process.ChildProcess;
import io.hindsight.testing.process.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry (Apicurio Registry 2.4.2, built by the {@code registry-server} module) as a
 * child process on 127.0.0.1. Its schemas live in an H2 file under a data directory, so they
 * survive {@link #restart()} and a new server on the same directory; its output goes to {@code
 * registry.log} there. {@link #url()} is its Confluent-compatible API.
 *
 * <pre>{@code
 * try (RegistryServer registry = RegistryServer.start(Path.of("target/registry"))) {
 *   serdeConfig.put("schema.registry.url", registry.url());
 * }
 * }</pre>
 *
 * <p>Plain JDK and SLF4J only, so the embedded default of the {@code hindsight} program can use it
 * as it is. In JUnit 5 tests, prefer {@link RegistryExtension}, which shares one server per JVM.
 */
public final class RegistryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Path RUNNER = Path.of("registry-server", "target", "quarkus-app");

  private final ChildProcess process;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread shutdownHook;
  private boolean closed;

  private RegistryServer(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
    // a test JVM or program that exits without close() must not leave a registry behind
    this.shutdownHook = new Thread(process::stop, "registry-server-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts the registry on a free port, its data and log under {@code dataDir}. */
  public static RegistryServer start(Path dataDir) {
    return start(dataDir, FreePorts.next());
  }

  /** Starts the registry on {@code port}, its data and log under {@code dataDir}. */
  public static RegistryServer start(Path dataDir, int port) {
    return start(runner(), dataDir, port);
  }

  static RegistryServer start(Path runner, Path dataDir, int port) {
    Path dir = dataDir.toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + port,
            // the H2 file database registry.mv.db (see registry-server's application.properties)
            "-Dhindsight.registry.data-dir=" + dir,
            "-jar",
            runner.toString());
    long started = System.nanoTime();
    ChildProcess child =
        ChildProcess.start("schema registry", command, dir.resolve("registry.log"), STOP_GRACE);
    RegistryServer server = new RegistryServer(child, port);
    try {
      server.awaitReady(started);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * The registry's {@code quarkus-run.jar}: the system property {@code hindsight.registry.runner},
   * else the registry-server module's build below {@code hindsight.project.root} (set by the parent
   * pom for tests), else below the working directory or one of its parents.
   */
  static Path runner() {
    String configured = System.getProperty("hindsight.registry.runner");
    if (configured != null && !configured.isBlank()) {
      Path runner = Path.of(configured);
      if (!Files.isRegularFile(runner)) {
        throw new IllegalStateException("hindsight.registry.runner = " + runner + ": no such file");
      }
      return runner;
    }
    Path relative = RUNNER.resolve("quarkus-run.jar");
    String root = System.getProperty("hindsight.project.root");
    if (root != null && !root.isBlank()) {
      Path runner = Path.of(root).resolve(relative);
      if (Files.isRegularFile(runner)) {
        return runner;
      }
    } else {
      for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve(relative))) {
          return dir.resolve(relative);
        }
      }
    }
    throw new IllegalStateException(
        "the schema registry is not built: "
            + relative
            + " not found below "
            + (root != null && !root.isBlank()
                ? root + " (hindsight.project.root)"
                : Path.of("").toAbsolutePath() + " or its parents")
            + "; run ./mvnw -B -pl registry-server package first"
            + " (or point -Dhindsight.registry.runner at a quarkus-run.jar)");
  }

  /** Base URL of the Confluent-compatible API, {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
  public String url() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  public int port() {
    return port;
  }

  /** Where the registry's output goes. */
  public Path log() {
    return process.log();
  }

  /** Stops the process and starts it again on the same port and data directory. */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("schema registry is closed");
    }
    process.stop();
    long started = System.nanoTime();
    process.start();
    awaitReady(started);
  }

  /** Resident set size in KiB, -1 where unknown. */
  public long rssKiB() {
    return process.rssKiB();
  }

  /** Polls the API until it answers 200; fails early, with the log's end, if the process dies. */
  private void awaitReady(long startedNanos) {
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(url() + "/subjects"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = startedNanos + READY_TIMEOUT.toNanos();
    while (true) {
      process.checkAlive();
      if (answers(probe)) {
        LOG.info(
            "schema registry ready at {} in {} ms (pid {}, log {})",
            url(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos),
            process.pid(),
            process.log());
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "schema registry not ready at "
                + url()
                + " within "
                + READY_TIMEOUT.toSeconds()
                + " s; "
                + process.logTail());
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the schema registry", e);
      }
    }
  }

  private boolean answers(HttpRequest probe) {
    try {
      return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the schema registry", e);
    }
  }

  /** SIGTERM, SIGKILL after 10 s; returns when the process is gone. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    process.stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs (or ran) anyway
    }
  }
}
