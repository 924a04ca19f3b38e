package io.hindsight.testing.registry;

import io.hindsight.testing.process.ChildProcess;
import io.hindsight.testing.process.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry (Apicurio Registry 2.4.2, built by the {@code registry-server} module) as a
 * child process on 127.0.0.1, with its schemas in an H2 file under a data directory, so they
 * survive a restart. {@link #url()} is its Confluent-compatible API.
 */
public final class RegistryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final ChildProcess process;
  private final int port;
  private final Thread shutdownHook;

  private RegistryServer(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
    this.shutdownHook = new Thread(process::stop, "registry-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts the registry with its data under {@code dataDir}, on a free port. */
  public static RegistryServer start(Path dataDir) {
    return start(dataDir, FreePorts.next());
  }

  /** Starts the registry with its data under {@code dataDir} on {@code port}. */
  public static RegistryServer start(Path dataDir, int port) {
    Path runner = runner();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dataDir, e);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + port,
            "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:"
                + dataDir.toAbsolutePath().resolve("registry")
                + ";DB_CLOSE_ON_EXIT=FALSE",
            "-Dquarkus.datasource.jdbc.min-size=1",
            "-Dquarkus.datasource.jdbc.initial-size=1",
            "-Dquarkus.datasource.jdbc.max-size=8",
            "-jar",
            runner.toString()));
    ChildProcess child =
        ChildProcess.start(
            "schema registry", command, dataDir.resolve("registry.log"), Duration.ofSeconds(10));
    RegistryServer server = new RegistryServer(child, port);
    try {
      server.awaitReady();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The runner jar: {@code hindsight.registry.runner}, or the registry-server module's build. */
  static Path runner() {
    String configured = System.getProperty("hindsight.registry.runner");
    if (configured != null) {
      return Path.of(configured);
    }
    String root = System.getProperty("hindsight.project.root", ".");
    Path target = Path.of(root, "registry-server", "target");
    Path fastJar = target.resolve("quarkus-app").resolve("quarkus-run.jar");
    if (Files.isRegularFile(fastJar)) {
      return fastJar;
    }
    if (Files.isDirectory(target)) {
      try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "*-runner.jar")) {
        for (Path jar : jars) {
          return jar;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException(
        "the schema registry is not built: no quarkus-app/quarkus-run.jar or *-runner.jar in "
            + target.toAbsolutePath()
            + "; run ./mvnw -B -pl registry-server package (or set -Dhindsight.registry.runner)");
  }

  /** Base URL of the Confluent-compatible API. */
  public String url() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  public int port() {
    return port;
  }

  /** Stops and starts it again on the same port and data: its schemas must still be there. */
  public synchronized void restart() {
    process.stop();
    process.start();
    awaitReady();
  }

  /** Resident set size in KiB, -1 where unknown. */
  public long rssKiB() {
    return process.rssKiB();
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(url() + "/subjects"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long started = System.nanoTime();
    long deadline = started + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      process.checkAlive();
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          LOG.info(
              "schema registry ready at {} in {} ms",
              url(),
              (System.nanoTime() - started) / 1_000_000);
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the schema registry", e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the schema registry", e);
      }
    }
    throw new IllegalStateException(
        "schema registry not ready at "
            + url()
            + " within "
            + READY_TIMEOUT
            + "; "
            + process.logTail());
  }

  @Override
  public synchronized void close() {
    process.stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }
}
