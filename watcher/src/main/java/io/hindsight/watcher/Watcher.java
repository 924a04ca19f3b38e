package io.hindsight.watcher;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.hindsight.ops.HttpEndpoints;
import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.schemas.avro.WatcherStateRecord;
import io.hindsight.schemas.sealing.SealingKeys;
import io.hindsight.schemas.sealing.SecretSealer;
import io.hindsight.serde.AvroSerializer;
import io.hindsight.serde.SchemaRegistryClient;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running watcher: wires discovery, informers, the observation queue and the publisher, and
 * owns their life. {@link #failure()} completes when a part has died for good; the caller then
 * exits non-zero.
 */
public final class Watcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);
  private static final String CRD_GROUP = "apiextensions.k8s.io";

  private final WatcherConfig config;
  private final Clock clock = Clock.systemUTC();
  private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          1,
          r -> {
            Thread t = new Thread(r, "hindsight-watcher-timers");
            t.setDaemon(true);
            return t;
          });
  private final WatcherMetrics metrics = new WatcherMetrics();
  // informers are held once this many observations wait: full objects exist only between a list
  // page and the publisher (two list pages); the capacity bounds ticks, gaps and resyncs
  private static final int QUEUE_HIGH_WATER = 1000;
  private final ObservationQueue queue = new ObservationQueue(50_000, QUEUE_HIGH_WATER, clock);
  private final String runId = UUID.randomUUID().toString();

  private KafkaProducer<byte[], byte[]> producer;
  private WatcherStateStore stateStore;
  private KubernetesClient client;
  private InformerSet informers;
  private ResourceDiscovery discovery;
  private ResourceFilter filter;
  private MaterialWorkers workers;
  private ChangePublisher publisher;
  private Thread publisherThread;
  private HttpEndpoints http;
  private ScheduledFuture<?> pendingDiscovery;

  private Watcher(WatcherConfig config) {
    this.config = config;
  }

  /** Starts watching; returns once every part runs (the initial lists go on in the background). */
  public static Watcher start(WatcherConfig config) {
    Watcher watcher = new Watcher(config);
    try {
      watcher.startParts();
      return watcher;
    } catch (RuntimeException e) {
      watcher.close();
      throw e;
    }
  }

  /**
   * Kafka and the registry are set up on a few threads while discovery runs and the informers start
   * listing: the initial list is the longest part of a start, and the queue holds what it delivers
   * (holding the informers beyond its high water) until the publisher runs.
   */
  private void startParts() {
    LOG.info("watcher {} starting with configuration:{}", runId, config.describe());
    long started = System.nanoTime();
    RelistDetector relists = new RelistDetector(clock);
    client = kubernetesClient(relists); // no network yet: a bad kubeconfig fails first
    SecretSealer sealer =
        new SecretSealer(SealingKeys.load(config.sealingKeyFile(), config.generateSealingKey()));
    SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
    // registry, topics then state, transactions
    ExecutorService setup = Executors.newFixedThreadPool(3, daemon("hindsight-watcher-setup"));
    StartupSteps steps = new StartupSteps();
    KafkaSetup kafka = new KafkaSetup(config);
    CompletableFuture<Void> subjects =
        CompletableFuture.supplyAsync(
            steps.timed(
                "registry",
                () -> {
                  KafkaSetup.registerSubjects(registry);
                  return null;
                }),
            setup);
    CompletableFuture<Integer> topics =
        CompletableFuture.supplyAsync(steps.timed("topics", kafka::ensureTopics), setup);
    CompletableFuture<WatcherStateStore> store =
        topics.thenApplyAsync(
            p -> new WatcherStateStore(config.bootstrapServers(), registry, config.clusterName()),
            setup);
    CompletableFuture<WatcherStateStore.Loaded> state =
        store.thenApplyAsync(steps.timed("state", WatcherStateStore::load), setup);
    CompletableFuture<KafkaProducer<byte[], byte[]>> transactional =
        CompletableFuture.supplyAsync(
            steps.timed("transactions", kafka::transactionalProducer), setup);
    try {
      filter = ResourceFilter.of(config);
      discovery = new ResourceDiscovery(client, filter);
      List<ResourceType> all = steps.timed("discovery", this::discoverOrExplain).get();
      EnvelopeFactory envelopes = new EnvelopeFactory(config.clusterName(), runId, sealer);
      workers = new MaterialWorkers(envelopes, MaterialWorkers.defaultThreads());
      informers =
          new InformerSet(
              client,
              filter,
              queue,
              workers,
              relists,
              config.resyncInterval().toMillis(),
              clock,
              (type, cause) ->
                  fail(
                      new IllegalStateException(
                          "informer of " + type + " stopped for good: " + cause, cause)));
      Set<String> served = new HashSet<>();
      for (ResourceType type : all) {
        served.add(ObjectKeys.typePrefix(type));
        if (filter.records(type)) {
          startInformer(type, null);
        }
      }

      StartupSteps.await(subjects);
      int partitions = StartupSteps.await(topics);
      WatcherStateStore.Loaded loaded = StartupSteps.await(state);
      stateStore = StartupSteps.await(store);
      producer = StartupSteps.await(transactional);
      startPublisher(envelopes, registry, loaded, partitions);
      Thread startup = new Thread(() -> finishStartup(loaded, served), "hindsight-watcher-startup");
      startup.setDaemon(true);
      startup.start();
    } catch (RuntimeException e) {
      // what the setup threads opened and nobody holds yet
      if (stateStore == null) {
        state.whenComplete((loaded, failed) -> store.thenAccept(WatcherStateStore::close));
      }
      if (producer == null) {
        transactional.thenAccept(p -> p.close(Duration.ZERO));
      }
      throw e;
    } finally {
      setup.shutdown();
    }

    long tickMs = config.heartbeatInterval().toMillis();
    timers.scheduleAtFixedRate(
        () -> queue.tryPut(new Observation.Tick()), tickMs, tickMs, TimeUnit.MILLISECONDS);
    long discoveryMs = config.discoveryInterval().toMillis();
    timers.scheduleWithFixedDelay(
        this::rediscover, discoveryMs, discoveryMs, TimeUnit.MILLISECONDS);
    if (config.httpPort() >= 0) {
      http =
          new HttpEndpoints(
              "0.0.0.0",
              config.httpPort(),
              WatcherConfig.HTTP_PORT,
              metrics.registry,
              () -> !failure.isDone(),
              this::ready);
      LOG.info("metrics and health on port {}", http.port());
    }
    LOG.info(
        "watcher started in {} ms ({}; in parallel)",
        (System.nanoTime() - started) / 1_000_000,
        steps);
  }

  private void startPublisher(
      EnvelopeFactory envelopes,
      SchemaRegistryClient registry,
      WatcherStateStore.Loaded loaded,
      int partitions) {
    publisher =
        new ChangePublisher(
            queue,
            informers,
            loaded.known(),
            loaded.lastCompleteThrough(),
            stateStore,
            envelopes,
            producer,
            new AvroSerializer<ObjectKey>(registry, true),
            new AvroSerializer<ChangeLogRecord>(registry, false),
            new AvroSerializer<WatcherStateRecord>(registry, false),
            metrics,
            config.clusterName(),
            runId,
            partitions,
            config.transactionMax().toMillis(),
            config.failOnBadObject(),
            this::fail);
    publisherThread = new Thread(publisher, "hindsight-publisher");
    publisherThread.start();
    registerGauges();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Once every initial list is delivered: objects recorded earlier that no longer exist were
   * deleted while nobody watched; then the start-up gap closes and heartbeats may advance.
   */
  private void finishStartup(WatcherStateStore.Loaded loaded, Set<String> served) {
    long deadline = System.nanoTime() + config.syncTimeout().toNanos();
    while (!informers.allDelivered()) {
      if (failure.isDone() || closed.get()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        fail(
            new IllegalStateException(
                "the initial list of every resource type did not finish within "
                    + config.syncTimeout()
                    + " ("
                    + WatcherConfig.SYNC_TIMEOUT_MS
                    + ")"));
        return;
      }
      sleep(50);
    }
    for (TrackedInformer t : informers.all()) {
      queue.put(
          new Observation.Reconcile(
              ObjectKeys.typePrefix(t.type), informers.liveKeys(t), filter::records));
    }
    // types recorded earlier that the server no longer serves (a CRD deleted while down)
    Set<String> gonePrefixes = new HashSet<>();
    for (String key : loaded.knownKeysSnapshot()) {
      String prefix = key.substring(0, key.indexOf('/', key.indexOf('/') + 1) + 1);
      if (!served.contains(prefix)) {
        gonePrefixes.add(prefix);
      }
    }
    for (String prefix : gonePrefixes) {
      queue.put(new Observation.Reconcile(prefix, Set.of(), filter::records));
    }
    Instant from = loaded.lastCompleteThrough().orElse(null);
    queue.put(new Observation.CloseGap("*", from, "WATCHER_START", publisher::startupDone));
    LOG.info("initial lists delivered; {} resource types watched", informers.all().size());
  }

  private void startInformer(ResourceType type, String gapReason) {
    TrackedInformer tracked = informers.start(type, gapReason);
    if (type.group().equals(CRD_GROUP) && type.plural().equals("customresourcedefinitions")) {
      tracked.informer.addEventHandler(new RediscoverOnChange());
    }
  }

  /** CRDs appearing, changing (established) or going trigger a rediscovery soon. */
  private final class RediscoverOnChange
      implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource obj) {
      soon();
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
      soon();
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
      soon();
    }
  }

  private synchronized void soon() {
    if (closed.get() || (pendingDiscovery != null && !pendingDiscovery.isDone())) {
      return;
    }
    pendingDiscovery = timers.schedule(this::rediscover, 1, TimeUnit.SECONDS);
  }

  private void rediscover() {
    if (closed.get() || publisher == null) {
      return;
    }
    List<ResourceType> types;
    try {
      types = discovery.discover();
    } catch (KubernetesClientException e) {
      LOG.warn("rediscovery failed, keeping the current informers: {}", e.getMessage());
      return;
    }
    Map<String, ResourceType> now = new HashMap<>();
    types.forEach(t -> now.put(t.id(), t));
    for (ResourceType type : types) {
      if (!informers.runningIds().contains(type.id())) {
        LOG.info("new resource type {}: starting to record it", type);
        startInformer(type, "NEW_TYPE " + type.id());
      }
    }
    for (String id : informers.runningIds()) {
      if (!now.containsKey(id)) {
        TrackedInformer gone = informers.get(id);
        informers.stop(id);
        // a new preferred version of the same kind is the same objects, not deletions
        if (gone != null && !informers.records(ObjectKeys.typePrefix(gone.type))) {
          LOG.info("resource type {} is no longer served: recording its objects as deleted", id);
          queue.put(
              new Observation.Reconcile(
                  ObjectKeys.typePrefix(gone.type), Set.of(), filter::records));
        }
      }
    }
  }

  private List<ResourceType> discoverOrExplain() {
    try {
      return discovery.discoverAll();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException(
          "cannot reach the Kubernetes API server at "
              + client.getMasterUrl()
              + " ("
              + e.getMessage()
              + "); check "
              + WatcherConfig.KUBECONFIG
              + " and "
              + WatcherConfig.CONTEXT,
          e);
    }
  }

  private KubernetesClient kubernetesClient(RelistDetector relists) {
    Config kube;
    String context = config.context().isEmpty() ? null : config.context();
    if (config.kubeconfig().isEmpty()) {
      kube = Config.autoConfigure(context);
    } else {
      Path path = Path.of(config.kubeconfig());
      if (!Files.isReadable(path)) {
        throw new IllegalArgumentException(
            WatcherConfig.KUBECONFIG + "=" + path + ": no readable file there");
      }
      kube = Config.fromKubeconfig(context, new File(config.kubeconfig()));
    }
    kube.setRequestTimeout(30_000);
    return new KubernetesClientBuilder()
        .withConfig(kube)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("hindsight-relist", relists))
        .build();
  }

  private void registerGauges() {
    metrics.gauge(
        "hindsight_watcher_queue_size", "Observations waiting for the publisher", queue::size);
    metrics.gauge(
        "hindsight_watcher_known_objects",
        "Objects the watcher has recorded as existing",
        () -> publisher.knownObjects());
    metrics.gauge(
        "hindsight_watcher_lag_seconds",
        "Now minus the complete-through watermark",
        () -> {
          Instant through = publisher.completeThrough();
          return through == null
              ? Double.NaN
              : Duration.between(through, clock.instant()).toMillis() / 1000.0;
        });
    metrics.gauge("hindsight_watcher_informers", "Informers running", () -> informers.all().size());
  }

  /** Ready when every informer has synced and watches, and the start-up gap is recorded. */
  public boolean ready() {
    return publisher != null && publisher.ready() && !failure.isDone();
  }

  /** The watermark of the last heartbeat that every informer was watching for. */
  public Optional<Instant> completeThrough() {
    return Optional.ofNullable(publisher == null ? null : publisher.completeThrough());
  }

  /** Completes with the cause when a part of the watcher has died for good. */
  public CompletableFuture<Throwable> failure() {
    return failure;
  }

  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  private void fail(Throwable cause) {
    if (failure.complete(cause)) {
      LOG.error("watcher failed: {}", cause.getMessage(), cause);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops informers, lets the publisher finish its transaction, and closes every client. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    timers.shutdownNow();
    queue.close(); // releases informers held by backpressure, so they can stop
    if (informers != null) {
      informers.close();
    }
    if (publisher != null) {
      publisher.stop();
      try {
        publisherThread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (workers != null) {
      workers.close();
    }
    if (http != null) {
      http.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (stateStore != null) {
      stateStore.close();
    }
    if (client != null) {
      client.close();
    }
  }
}
