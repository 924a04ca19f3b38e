package io.hindsight.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.bench.RecordCounter.Captured;
import io.hindsight.schemas.Topics;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.serde.AvroDeserializer;
import io.hindsight.serde.SchemaRegistryClient;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.watcher.Watcher;
import io.hindsight.watcher.WatcherConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 1: the real watcher's publish rate over N ConfigMaps that exist before it starts,
 * against a plain producer sending the same records, in alternating rounds.
 *
 * <p>Watcher side: the clock starts before {@link Watcher#start} and stops when a read_committed
 * consumer has read all N changes of the round's cluster name, so it covers start-up (registry,
 * topics, transactions, state topic, discovery), the informer's initial list, envelopes, and the
 * transactional writes of changes and state records. Raw side: {@link RawProducerBaseline} replays
 * the very records the first watcher round wrote, measured by the same consumer clock.
 *
 * <p>Round 0 is a warm-up of both sides (the first watcher in this JVM also pays for JIT
 * compilation and the broker's first transactions); it is reported and left out of the medians.
 * Each round's ratio pairs two runs taken seconds apart, so load from other processes hits both
 * alike.
 */
final class PublishBench {
  private static final Logger LOG = LoggerFactory.getLogger(PublishBench.class);
  private static final String NAMESPACE = "bench-publish";
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  /**
   * One timed run of one side. {@code recordsPerSecond} is end to end (from the side's start until
   * the last record was readable); {@code steadyRecordsPerSecond} counts from the first readable
   * record on: the records after the first poll that brought any, over the time after it.
   */
  record Run(
      String side,
      int round,
      int records,
      long bytes,
      double seconds,
      double firstRecordSeconds,
      double recordsPerSecond,
      double mibPerSecond,
      double steadyRecordsPerSecond) {
    static Run of(
        String side,
        int round,
        int records,
        long bytes,
        long t0,
        long first,
        long end,
        int firstCount) {
      double seconds = (end - t0) / 1e9;
      double afterFirst = (end - first) / 1e9;
      return new Run(
          side,
          round,
          records,
          bytes,
          seconds,
          (first - t0) / 1e9,
          records / seconds,
          bytes / 1048576.0 / seconds,
          afterFirst > 0 ? (records - firstCount) / afterFirst : Double.NaN);
    }
  }

  /**
   * The CPU one timed run used for its {@code records}: this JVM's (watcher, broker, consumer: all
   * of it) and the API server's (etcd + kube-apiserver together).
   */
  record Cpu(int records, double jvmSeconds, double serverSeconds) {
    double jvmMsPerRecord() {
      return jvmSeconds * 1000 / records;
    }

    double serverMsPerRecord() {
      return serverSeconds * 1000 / records;
    }

    double msPerRecord() {
      return jvmMsPerRecord() + serverMsPerRecord();
    }
  }

  /** The CPU counters at the start of a run. */
  private record CpuMark(KubeApiServer kube, long jvmNanos, Duration server) {
    static CpuMark now(KubeApiServer kube) {
      return new CpuMark(kube, ProcessCpu.nanos(), kube.serverCpuTime());
    }

    Cpu since(int records) {
      return new Cpu(
          records,
          (ProcessCpu.nanos() - jvmNanos) / 1e9,
          kube.serverCpuTime().minus(server).toNanos() / 1e9);
    }
  }

  /** Sizes of the records written to the topic (serialized key + value, uncompressed). */
  record RecordSizes(long meanBytes, long p50Bytes, long p90Bytes, long p99Bytes, long maxBytes) {
    static RecordSizes of(List<Captured> records) {
      long[] sizes = records.stream().mapToLong(Captured::bytes).sorted().toArray();
      long sum = 0;
      for (long s : sizes) {
        sum += s;
      }
      return new RecordSizes(
          sum / sizes.length,
          Stats.percentile(sizes, 0.50),
          Stats.percentile(sizes, 0.90),
          Stats.percentile(sizes, 0.99),
          sizes[sizes.length - 1]);
    }
  }

  /**
   * {@code ratio}: the median per-round ratio of end-to-end rates, what a user waits for (the
   * watcher's start-up included). {@code steadyRatio}: the same from each side's first readable
   * record on. {@code floorRatio}: a bare informer's list rate over the raw producer's, the most
   * any list/watch-based watcher could reach end to end here. {@code cpu}: what each side cost in
   * CPU per record, the API server's included, and the bound that puts on the ratio.
   */
  record Result(
      int objects,
      String mix,
      long objectDataBytes,
      double createPerSecond,
      RecordSizes recordSizes,
      List<Run> watcherRuns,
      List<Run> rawRuns,
      List<Run> listFloorRuns,
      int warmupRounds,
      List<Double> roundRatios,
      double ratio,
      List<Double> roundSteadyRatios,
      double steadyRatio,
      List<Double> roundFloorRatios,
      double floorRatio,
      double watcherFirstRecordSeconds,
      double watcherRecordsPerSecond,
      double watcherSteadyRecordsPerSecond,
      double watcherMibPerSecond,
      double rawRecordsPerSecond,
      double rawSteadyRecordsPerSecond,
      double rawMibPerSecond,
      double listFloorRecordsPerSecond,
      CpuFigures cpu) {}

  /**
   * The measured rounds' {@link Cpu} of each side, and their medians of CPU milliseconds per
   * record: this JVM's (the in-process watcher, broker and consumer) and the API server's (etcd +
   * kube-apiserver), for the watcher, the raw producer and the bare list. With both sides CPU-bound
   * on the same cores, rates go as the inverse of CPU per record, which gives two bounds on the
   * ratio. {@code serverBound}: the raw producer's whole CPU per record over the API server's per
   * object while the watcher listed — what a watcher that itself cost nothing could reach. {@code
   * listAndProduceBound}: the raw producer's CPU over the bare list's plus the raw producer's — a
   * watcher has to list the objects (at least what fabric8's bare informer spends, server side
   * included) and then write the same records (at least what the raw producer spends), so it cannot
   * go beyond this.
   */
  record CpuFigures(
      List<Cpu> watcherRuns,
      List<Cpu> rawRuns,
      List<Cpu> listFloorRuns,
      double watcherJvmMs,
      double watcherServerMs,
      double rawJvmMs,
      double rawServerMs,
      double floorJvmMs,
      double floorServerMs,
      List<Double> roundServerBounds,
      double serverBound,
      List<Double> roundListAndProduceBounds,
      double listAndProduceBound) {
    static CpuFigures of(List<Cpu> watcher, List<Cpu> raw, List<Cpu> floor) {
      List<Double> bounds = new ArrayList<>();
      List<Double> listAndProduce = new ArrayList<>();
      for (int i = 0; i < watcher.size(); i++) {
        double produce = raw.get(i).msPerRecord();
        bounds.add(produce / watcher.get(i).serverMsPerRecord());
        listAndProduce.add(produce / (floor.get(i).msPerRecord() + produce));
      }
      return new CpuFigures(
          watcher,
          raw,
          floor,
          median(watcher, Cpu::jvmMsPerRecord),
          median(watcher, Cpu::serverMsPerRecord),
          median(raw, Cpu::jvmMsPerRecord),
          median(raw, Cpu::serverMsPerRecord),
          median(floor, Cpu::jvmMsPerRecord),
          median(floor, Cpu::serverMsPerRecord),
          bounds,
          Stats.median(bounds),
          listAndProduce,
          Stats.median(listAndProduce));
    }
  }

  private final BenchServers servers;
  private final String runId;

  PublishBench(BenchServers servers, String runId) {
    this.servers = servers;
    this.runId = runId;
  }

  Result run(int objects, int rounds) throws TimeoutException {
    KubeApiServer kube = servers.kube("kube-publish");
    ConfigMapMix mix = ConfigMapMix.realistic();
    ObjectLoader.Loaded loaded;
    try (KubernetesClient client = kube.client()) {
      ObjectLoader.createNamespace(client, NAMESPACE);
      loaded = ObjectLoader.create(client, NAMESPACE, mix, 0, objects);
    }
    List<Run> watcherRuns = new ArrayList<>();
    List<Run> rawRuns = new ArrayList<>();
    List<Run> floorRuns = new ArrayList<>();
    List<Cpu> watcherCpu = new ArrayList<>();
    List<Cpu> rawCpu = new ArrayList<>();
    List<Cpu> floorCpu = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Double> steadyRatios = new ArrayList<>();
    List<Double> floorRatios = new ArrayList<>();
    List<Captured> records = null;
    RawProducerBaseline raw = new RawProducerBaseline(servers.kafka(), runId);
    // round 0 warms up this JVM's JIT and the broker's transaction coordinator; it is reported but
    // left out of the medians
    for (int round = 0; round <= rounds; round++) {
      WatcherRun w = watcherRun(kube, objects, round, records == null);
      if (records == null) {
        records = w.captured();
      }
      CpuMark cpu = CpuMark.now(kube);
      Run r = raw.run(records, round, TIMEOUT);
      rawCpu.add(cpu.since(r.records()));
      cpu = CpuMark.now(kube);
      Run f = ListFloor.run(kube, NAMESPACE, objects, loaded.dataBytes(), round, TIMEOUT);
      floorCpu.add(cpu.since(f.records()));
      watcherRuns.add(w.run());
      watcherCpu.add(w.cpu());
      rawRuns.add(r);
      floorRuns.add(f);
      ratios.add(w.run().recordsPerSecond() / r.recordsPerSecond());
      steadyRatios.add(w.run().steadyRecordsPerSecond() / r.steadyRecordsPerSecond());
      floorRatios.add(f.recordsPerSecond() / r.recordsPerSecond());
      LOG.info(
          "round {}{}: watcher {} changes/s ({}/s from its first), raw producer {} records/s ({}/s),"
              + " bare informer lists {}/s; ratio {} (steady {}, floor {})",
          round,
          round == 0 ? " (warm-up)" : "",
          Stats.f0(w.run().recordsPerSecond()),
          Stats.f0(w.run().steadyRecordsPerSecond()),
          Stats.f0(r.recordsPerSecond()),
          Stats.f0(r.steadyRecordsPerSecond()),
          Stats.f0(f.recordsPerSecond()),
          Stats.f2(ratios.get(ratios.size() - 1)),
          Stats.f2(steadyRatios.get(steadyRatios.size() - 1)),
          Stats.f2(floorRatios.get(floorRatios.size() - 1)));
    }
    servers.stop(kube);
    List<Run> watcherMeasured = watcherRuns.subList(1, watcherRuns.size());
    List<Run> rawMeasured = rawRuns.subList(1, rawRuns.size());
    List<Run> floorMeasured = floorRuns.subList(1, floorRuns.size());
    return new Result(
        objects,
        mix.name(),
        loaded.dataBytes(),
        loaded.perSecond(),
        RecordSizes.of(records),
        watcherRuns,
        rawRuns,
        floorRuns,
        1,
        ratios,
        Stats.median(ratios.subList(1, ratios.size())),
        steadyRatios,
        Stats.median(steadyRatios.subList(1, steadyRatios.size())),
        floorRatios,
        Stats.median(floorRatios.subList(1, floorRatios.size())),
        median(watcherMeasured, Run::firstRecordSeconds),
        median(watcherMeasured, Run::recordsPerSecond),
        median(watcherMeasured, Run::steadyRecordsPerSecond),
        median(watcherMeasured, Run::mibPerSecond),
        median(rawMeasured, Run::recordsPerSecond),
        median(rawMeasured, Run::steadyRecordsPerSecond),
        median(rawMeasured, Run::mibPerSecond),
        median(floorMeasured, Run::recordsPerSecond),
        CpuFigures.of(
            watcherCpu.subList(1, watcherCpu.size()),
            rawCpu.subList(1, rawCpu.size()),
            floorCpu.subList(1, floorCpu.size())));
  }

  private static <T> double median(List<T> runs, java.util.function.ToDoubleFunction<T> value) {
    return Stats.median(runs.stream().map(value::applyAsDouble).toList());
  }

  private record WatcherRun(Run run, Cpu cpu, List<Captured> captured) {}

  private WatcherRun watcherRun(KubeApiServer kube, int objects, int round, boolean capture)
      throws TimeoutException {
    String cluster = "bench-publish-" + runId + "-" + round;
    Map<String, String> config = new HashMap<>();
    config.put(WatcherConfig.CLUSTER_NAME, cluster);
    config.put(WatcherConfig.KUBECONFIG, kube.kubeconfigPath().toString());
    config.put(WatcherConfig.BOOTSTRAP_SERVERS, servers.bootstrapServers());
    config.put(WatcherConfig.REGISTRY_URL, servers.registryUrl());
    config.put(WatcherConfig.SEALING_KEY_FILE, servers.workDir().resolve("sealing.key").toString());
    config.put(WatcherConfig.NAMESPACES_INCLUDE, NAMESPACE);
    // the N objects are ConfigMaps: other types would only add objects that are not counted
    config.put(WatcherConfig.KINDS_INCLUDE, "configmaps");
    servers.resetWatcherTopics();
    try (RecordCounter counter =
        new RecordCounter(
            servers.bootstrapServers(),
            Topics.CHANGES,
            benchChanges(servers.registryUrl(), cluster),
            capture)) {
      CpuMark cpu = CpuMark.now(kube);
      long t0 = System.nanoTime();
      Watcher watcher = Watcher.start(new WatcherConfig(config));
      long end;
      Cpu used;
      try {
        end = counter.awaitCount(objects, TIMEOUT);
        used = cpu.since(objects);
      } finally {
        watcher.close();
      }
      Run run =
          Run.of(
              "watcher",
              round,
              objects,
              counter.bytes(),
              t0,
              counter.firstNanos(),
              end,
              counter.firstCount());
      LOG.info(
          "watcher round {}: {} changes in {} s ({} s to the first)",
          round,
          objects,
          Stats.f2(run.seconds()),
          Stats.f2(run.firstRecordSeconds()));
      return new WatcherRun(run, used, capture ? counter.captured() : List.of());
    }
  }

  /** Changes of the bench ConfigMaps published under {@code cluster}. */
  static Predicate<ConsumerRecord<byte[], byte[]>> benchChanges(
      String registryUrl, String cluster) {
    AvroDeserializer<ObjectKey> keys =
        new AvroDeserializer<>(ObjectKey.class, new SchemaRegistryClient(registryUrl));
    return r -> {
      if (r.key() == null || r.value() == null) {
        return false;
      }
      ObjectKey key = keys.deserialize(r.topic(), r.key());
      return key.getCluster().equals(cluster)
          && key.getKind().equals("ConfigMap")
          && key.getName().startsWith(ConfigMapMix.NAME_PREFIX);
    };
  }
}
