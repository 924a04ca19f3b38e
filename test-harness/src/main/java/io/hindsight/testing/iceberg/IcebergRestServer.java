package io.hindsight.testing.iceberg;

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
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Iceberg REST catalog for tests: the server Apache Iceberg publishes as {@code
 * org.apache.iceberg:iceberg-open-api} (a runnable jar), as a child process backed by a JDBC
 * catalog on SQLite with a local warehouse under a data directory. The jar comes from the local
 * Maven repository (the test module depends on it); system property {@code
 * hindsight.iceberg-rest-jar} overrides where. Note: that server listens on every interface, not
 * only on 127.0.0.1.
 */
public final class IcebergRestServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergRestServer.class);
  private static final String VERSION = "1.10.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final ChildProcess process;
  private final int port;
  private final Path warehouse;

  private IcebergRestServer(ChildProcess process, int port, Path warehouse) {
    this.process = process;
    this.port = port;
    this.warehouse = warehouse;
  }

  /** Starts the server on a free port; catalog database, warehouse and log under {@code dir}. */
  public static IcebergRestServer start(Path dir) {
    Path root = dir.toAbsolutePath();
    Path warehouse = root.resolve("warehouse");
    try {
      Files.createDirectories(warehouse);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + warehouse, e);
    }
    int port = FreePorts.next();
    List<String> command =
        List.of(
            "/usr/bin/env",
            "CATALOG_URI=jdbc:sqlite:" + root.resolve("rest-catalog.db"),
            "CATALOG_WAREHOUSE=" + warehouse.toUri(),
            "CATALOG_JDBC_SCHEMA__VERSION=V1",
            "CATALOG_REST_PORT=" + port,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            jar().toString());
    ChildProcess process =
        ChildProcess.start(
            "iceberg-rest", command, root.resolve("rest-catalog.log"), Duration.ofSeconds(5));
    IcebergRestServer server = new IcebergRestServer(process, port, warehouse);
    server.awaitReady();
    return server;
  }

  static Path jar() {
    String configured = System.getProperty("hindsight.iceberg-rest-jar");
    Path jar =
        configured != null
            ? Path.of(configured)
            : Path.of(
                System.getProperty(
                    "maven.repo.local", System.getProperty("user.home") + "/.m2/repository"),
                "org/apache/iceberg/iceberg-open-api",
                VERSION,
                "iceberg-open-api-" + VERSION + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the Iceberg REST catalog server jar is not at "
              + jar
              + ": depend on org.apache.iceberg:iceberg-open-api:"
              + VERSION
              + " in the test module (Maven downloads it) or set -Dhindsight.iceberg-rest-jar");
    }
    return jar;
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      process.checkAlive();
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(URI.create(uri() + "/v1/config"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          LOG.info("Iceberg REST catalog ready at {}", uri());
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    process.stop();
    throw new IllegalStateException(
        "the Iceberg REST catalog did not answer within "
            + READY_TIMEOUT
            + "; "
            + process.logTail());
  }

  /** Base URI of the REST API (what {@code catalog.uri} takes). */
  public String uri() {
    return "http://127.0.0.1:" + port;
  }

  /** The warehouse the server writes data files to. */
  public Path warehouse() {
    return warehouse;
  }

  @Override
  public void close() {
    process.stop();
  }
}
