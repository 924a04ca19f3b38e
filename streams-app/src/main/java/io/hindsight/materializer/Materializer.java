package io.hindsight.materializer;

import io.hindsight.history.tables.Catalogs;
import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CheckpointsTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.history.tables.GapsTable;
import io.hindsight.history.tables.HistoryTables;
import io.hindsight.materializer.RowSink.TableKind;
import io.hindsight.ops.HttpEndpoints;
import io.hindsight.schemas.Topics;
import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.serde.AvroDeserializer;
import io.hindsight.serde.SchemaRegistryClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams-app's wiring and life cycle: opens the catalog and the tables, waits for the input
 * topic, runs the Kafka Streams application with the commit hook, and schedules table maintenance.
 * {@link #failure()} completes when a part dies for good (the process then exits non-zero).
 */
public final class Materializer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Materializer.class);

  private final MaterializerConfig config;
  private final Catalog catalog;
  private final Map<TableKind, Table> tables;
  private final KafkaStreams streams;
  private final SinkRegistry sinks;
  private final TableMaintenance maintenance;
  private final MaterializerMetrics metrics;
  private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
  private HttpEndpoints http;

  private Materializer(
      MaterializerConfig config,
      Catalog catalog,
      Map<TableKind, Table> tables,
      KafkaStreams streams,
      SinkRegistry sinks,
      TableMaintenance maintenance,
      MaterializerMetrics metrics) {
    this.config = config;
    this.catalog = catalog;
    this.tables = tables;
    this.streams = streams;
    this.sinks = sinks;
    this.maintenance = maintenance;
    this.metrics = metrics;
  }

  /** Starts everything; throws when a server is unreachable or the catalog unusable. */
  public static Materializer start(MaterializerConfig config) {
    LOG.info("starting the streams-app with{}", config.describe());
    int partitions = awaitInputTopic(config);
    Catalog catalog = Catalogs.open(config.catalog());
    Map<TableKind, Table> tables = openTables(catalog, partitions);
    MaterializerMetrics metrics = new MaterializerMetrics();
    String instance = instanceId(config);
    SinkRegistry sinks =
        new SinkRegistry(
            number ->
                new IcebergSink(
                    instance + "/" + number,
                    number,
                    tables,
                    config.targetFileBytes(),
                    config.commitTimeout(),
                    config.watermarkInterval(),
                    Clock.systemUTC(),
                    metrics));
    SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
    var topology =
        MaterializerTopology.build(
            config.inputTopic(),
            () ->
                new ChangeProcessor(
                    new AvroDeserializer<>(ObjectKey.class, registry),
                    new AvroDeserializer<>(ChangeLogRecord.class, registry),
                    sinks::forCurrentThread,
                    config.checkpointInterval(),
                    config.checkpointCheckInterval(),
                    config.failOnBadRecord(),
                    metrics));
    KafkaStreams streams =
        new KafkaStreams(topology, streamsProperties(config), hookedClients(config, sinks));
    TableMaintenance maintenance =
        new TableMaintenance(
            tables,
            config.compactionMinFiles(),
            config.targetFileBytes(),
            config.snapshotRetention());
    Materializer materializer =
        new Materializer(config, catalog, tables, streams, sinks, maintenance, metrics);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("a stream thread died; stopping the streams-app", e);
          materializer.failure.complete(e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.setStateListener(
        (now, before) -> {
          LOG.info("streams-app state {} -> {}", before, now);
          if (now == KafkaStreams.State.ERROR) {
            materializer.failure.complete(
                new IllegalStateException("Kafka Streams entered state ERROR"));
          }
        });
    if (config.httpPort() >= 0) {
      try {
        materializer.http =
            new HttpEndpoints(
                "0.0.0.0",
                config.httpPort(),
                MaterializerConfig.HTTP_PORT,
                metrics.registry,
                () -> !materializer.failure.isDone(),
                materializer::running);
      } catch (RuntimeException e) {
        closeCatalog(catalog);
        throw e;
      }
      LOG.info("metrics and health on port {}", materializer.http.port());
    }
    streams.start();
    maintenance.schedule(config.maintenanceInterval());
    return materializer;
  }

  private static Map<TableKind, Table> openTables(Catalog catalog, int partitions) {
    Map<TableIdentifier, Table> all = HistoryTables.ensure(catalog);
    Map<TableKind, Table> tables = new EnumMap<>(TableKind.class);
    tables.put(TableKind.CHANGES, all.get(ChangesTable.ID));
    tables.put(TableKind.CHECKPOINTS, all.get(CheckpointsTable.ID));
    tables.put(TableKind.GAPS, all.get(GapsTable.ID));
    for (Table table : tables.values()) {
      String recorded = table.properties().get(CommitLog.SOURCE_PARTITIONS);
      if (recorded != null && Integer.parseInt(recorded) != partitions) {
        throw new IllegalStateException(
            table.name()
                + " was written from "
                + recorded
                + " partitions of the input topic, which now has "
                + partitions
                + ": the namespace partitioning changed; restore the partition count or start"
                + " a new history (other catalog or tables)");
      }
      // the fence check and the commit must be one compare-and-swap: IcebergSink retries itself
      if (!"0".equals(table.properties().get(TableProperties.COMMIT_NUM_RETRIES))
          || recorded == null) {
        table
            .updateProperties()
            .set(TableProperties.COMMIT_NUM_RETRIES, "0")
            .set(CommitLog.SOURCE_PARTITIONS, String.valueOf(partitions))
            .commit();
      }
    }
    return tables;
  }

  private static int awaitInputTopic(MaterializerConfig config) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    try (Admin admin = Admin.create(props)) {
      boolean told = false;
      while (true) {
        try {
          return admin
              .describeTopics(List.of(config.inputTopic()))
              .allTopicNames()
              .get()
              .get(config.inputTopic())
              .partitions()
              .size();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            throw new IllegalStateException(
                "cannot reach Kafka at "
                    + config.bootstrapServers()
                    + " ("
                    + e.getCause().getMessage()
                    + "): check "
                    + MaterializerConfig.BOOTSTRAP_SERVERS,
                e.getCause());
          }
          if (!told) {
            LOG.info("waiting for topic {} (the watcher creates it)", config.inputTopic());
            told = true;
          }
          Thread.sleep(1000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + config.inputTopic(), e);
    }
  }

  static Properties streamsProperties(MaterializerConfig config) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.cacheMaxBytes());
    int maxBytes = Topics.MAX_MESSAGE_BYTES + 64 * 1024;
    props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxBytes);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "zstd");
    // a transaction stays open for a commit interval plus the Iceberg commit that precedes it
    long transactionMs =
        config.commitInterval().toMillis() + config.commitTimeout().toMillis() + 60_000;
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
        (int) transactionMs);
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), maxBytes);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
    if (!config.instanceId().isBlank()) {
      props.put(
          StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
          config.instanceId());
    }
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
        (int) Math.max(300_000, transactionMs));
    return props;
  }

  private static HookedClientSupplier hookedClients(MaterializerConfig config, SinkRegistry sinks) {
    return new HookedClientSupplier(
        producer -> {
          sinks.forgetDeadThreads();
          return new CommitHookProducer(producer, config.inputTopic(), sinks::ofCurrentThread);
        });
  }

  private static String instanceId(MaterializerConfig config) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown-host";
    }
    String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return config.applicationId() + "/" + host + "/" + pid + "/" + HexFormat.of().formatHex(random);
  }

  /** Completes with the cause when a part of the streams-app died for good. */
  public CompletableFuture<Throwable> failure() {
    return failure;
  }

  public boolean running() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  MaterializerMetrics metrics() {
    return metrics;
  }

  MaterializerConfig config() {
    return config;
  }

  Map<TableKind, Table> tables() {
    return tables;
  }

  SinkRegistry sinks() {
    return sinks;
  }

  /** Port of /metrics, /healthz and /readyz; -1 when off. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  @Override
  public void close() {
    maintenance.close();
    streams.close(Duration.ofSeconds(60));
    if (http != null) {
      http.close();
    }
    closeCatalog(catalog);
  }

  private static void closeCatalog(Catalog catalog) {
    if (catalog instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("closing the catalog", e);
      }
    }
  }
}
