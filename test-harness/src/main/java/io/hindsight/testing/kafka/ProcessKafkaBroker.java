package io.hindsight.testing.kafka;

import io.hindsight.testing.process.ChildProcess;
import io.hindsight.testing.process.FreePorts;
import io.hindsight.testing.process.ProjectFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka 4.3 broker as a JVM of its own: one combined KRaft node on 127.0.0.1, its log segments,
 * metadata and configuration under a data directory, formatted on first start (StorageTool) and
 * reusing the same ports afterwards, so it survives {@link #restart()} and a new {@code start} on
 * the same directory with everything it held. The broker's classpath (Scala, log4j 2) comes from
 * the {@code kafka-server} module and never meets Hindsight's. This is the embedded default's
 * broker and the one tests restart.
 */
public final class ProcessKafkaBroker implements KafkaBroker {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessKafkaBroker.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Path CLASSPATH = Path.of("kafka-server", "target", "classpath.txt");

  private final Path dir;
  private final int port;
  private final ChildProcess process;
  private final Thread shutdownHook;
  private boolean closed;

  private ProcessKafkaBroker(Path dir, int port, ChildProcess process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.shutdownHook = new Thread(process::stop, "kafka-broker-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts the broker of {@code dataDir}: formats it first when it is new. */
  public static ProcessKafkaBroker start(Path dataDir) {
    Path dir = dataDir.toAbsolutePath();
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("server.properties");
      if (!Files.exists(config)) {
        writeConfig(dir, config, FreePorts.next(), FreePorts.next());
      }
      String classpath = classpath();
      if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
        format(dir, config, classpath);
      }
      Properties props = read(config);
      int port = Integer.parseInt(props.getProperty("hindsight.port"));
      List<String> command = java(classpath, "-Xmx512m");
      command.add("kafka.Kafka");
      command.add(config.toString());
      ChildProcess process =
          ChildProcess.start(
              "kafka broker", command, dir.resolve("kafka.log"), Duration.ofSeconds(30));
      ProcessKafkaBroker broker = new ProcessKafkaBroker(dir, port, process);
      try {
        broker.awaitReady(System.nanoTime());
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot prepare the Kafka broker in " + dir + ": " + e.getMessage(), e);
    }
  }

  static String classpath() throws IOException {
    Path file =
        ProjectFiles.find(
            CLASSPATH,
            "hindsight.kafka-server.classpath",
            "build the kafka-server module first (./mvnw -B -pl kafka-server package)");
    Path classes = file.getParent().resolve("classes"); // log4j2.yaml
    return classes + ":" + Files.readString(file).trim();
  }

  private static void writeConfig(Path dir, Path config, int port, int controllerPort)
      throws IOException {
    Properties props = new Properties();
    props.setProperty("process.roles", "broker,controller");
    props.setProperty("node.id", "1");
    props.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    props.setProperty(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.setProperty("controller.listener.names", "CONTROLLER");
    props.setProperty("inter.broker.listener.name", "PLAINTEXT");
    props.setProperty("log.dirs", dir.resolve("data").toString());
    props.setProperty("offsets.topic.replication.factor", "1");
    props.setProperty("offsets.topic.num.partitions", "4");
    props.setProperty("transaction.state.log.replication.factor", "1");
    props.setProperty("transaction.state.log.min.isr", "1");
    props.setProperty("transaction.state.log.num.partitions", "4");
    props.setProperty("share.coordinator.state.topic.replication.factor", "1");
    props.setProperty("share.coordinator.state.topic.min.isr", "1");
    props.setProperty("group.initial.rebalance.delay.ms", "0");
    props.setProperty("message.max.bytes", String.valueOf(4 * 1024 * 1024));
    props.setProperty("auto.create.topics.enable", "false");
    props.setProperty("num.partitions", "1");
    props.setProperty("hindsight.port", String.valueOf(port));
    try (Writer out = Files.newBufferedWriter(config)) {
      props.store(out, "Kafka broker of Hindsight's embedded default (127.0.0.1 only)");
    }
  }

  private static void format(Path dir, Path config, String classpath) throws IOException {
    List<String> command = java(classpath, "-Xmx256m");
    command.addAll(
        List.of(
            "kafka.tools.StorageTool",
            "format",
            "-t",
            Uuid.randomUuid().toString(),
            "-c",
            config.toString(),
            "--standalone"));
    Path log = dir.resolve("kafka-format.log");
    try {
      Process format =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
        format.destroyForcibly();
        throw new IllegalStateException(
            "formatting the Kafka broker's storage failed; " + ChildProcess.tail(log, 20));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting Kafka storage", e);
    }
  }

  private static List<String> java(String classpath, String heap) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Djava.awt.headless=true");
    command.add("-cp");
    command.add(classpath);
    return command;
  }

  private static Properties read(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      props.load(in);
    }
    return props;
  }

  private void awaitReady(long startedNanos) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    long deadline = startedNanos + READY_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(props)) {
      while (true) {
        process.checkAlive();
        try {
          admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
          LOG.info(
              "Kafka broker ready at {} in {} ms (pid {}, log {})",
              bootstrapServers(),
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos),
              process.pid(),
              process.log());
          return;
        } catch (Exception notYet) {
          if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException(
                "Kafka broker not ready at "
                    + bootstrapServers()
                    + " within "
                    + READY_TIMEOUT.toSeconds()
                    + " s; "
                    + process.logTail());
          }
          if (notYet instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", notYet);
          }
        }
      }
    }
  }

  @Override
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  @Override
  public String description() {
    return "Kafka 4.3.1 broker process (KRaft, combined node) at "
        + bootstrapServers()
        + ", data "
        + dir;
  }

  /** Stops the broker (SIGTERM: a clean shutdown) and starts it again with everything it held. */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("Kafka broker is closed");
    }
    process.stop();
    long started = System.nanoTime();
    process.start();
    awaitReady(started);
  }

  /** The broker process's id, e.g. to kill it without grace. */
  public long pid() {
    return process.pid();
  }

  public long rssKiB() {
    return process.rssKiB();
  }

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
      // the JVM is shutting down: the hook runs anyway
    }
  }
}
