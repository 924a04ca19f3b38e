package io.hindsight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.cli.demo.SimulatedApiServer;
import io.hindsight.history.Change;
import io.hindsight.history.HistoryReader;
import io.hindsight.history.Selection;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;
import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.materializer.MaterializerConfig;
import io.hindsight.restorer.Outcome;
import io.hindsight.restorer.ProgressListener;
import io.hindsight.restorer.RestoreRequest;
import io.hindsight.restorer.RestoreResult;
import io.hindsight.restorer.Restorer;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.watcher.WatcherConfig;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Hindsight's main job on an embedded default, with no cluster of the user's: a real kube-apiserver
 * with etcd and kube-controller-manager, the whole pipeline of {@code hindsight standalone} on
 * 127.0.0.1, Online Boutique applied and changed, the history read back from the Iceberg tables,
 * and the namespace restored as it was before the changes into a new namespace — each step timed.
 * When the real API server cannot start (its binaries are missing and cannot be built), or with
 * {@code --simulated}, it runs against a {@link SimulatedApiServer} instead, and says so.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Show Hindsight doing its job, locally, with no cluster, broker or registry of yours:",
      "starts a real kube-apiserver (built from Debian's packages on first use, ~5-10 min once),",
      "a Kafka broker, a schema registry, the watcher and the streams-app on 127.0.0.1; applies",
      "Online Boutique, changes it, shows the recorded history, and restores the namespace as it",
      "was before the changes into a new namespace.",
      "When the real API server cannot start (no binaries, and no apt-get/root to build them), or",
      "with --simulated, it runs against a SIMULATED one instead: fabric8's mock server in this",
      "JVM with the recorded discovery of kube-apiserver 1.20.2 — it stores objects and streams",
      "watches, but has no controllers (no ReplicaSets or Pods) and no real admission."
    },
    footer = {
      "",
      "Examples:",
      "  hindsight demo",
      "  hindsight demo --data-dir /tmp/hindsight-demo --keep-running",
      "  hindsight demo --simulated",
      "",
      "Exit codes: 0 done (the restored namespace matched the instant before the changes),",
      "1 the restore or a check failed, 3 a server could not start (for the API server: neither",
      "the real one nor the simulated one)."
    })
final class DemoCommand implements Callable<Integer> {
  static final String NAMESPACE = "boutique";
  static final String RESTORED = "boutique-restored";
  private static final String CLUSTER = "demo";
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final String NEW_IMAGE =
      "gcr.io/google-samples/microservices-demo/frontend:v0.8.0";

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the demo keeps its servers' data (default: ${DEFAULT-VALUE}).",
      defaultValue = ".hindsight/demo")
  Path dataDir;

  @Option(
      names = "--keep-running",
      description = "Keep everything running after the demo until Ctrl-C (to try the commands).")
  boolean keepRunning;

  @Option(
      names = "--simulated",
      description =
          "Run against the SIMULATED API server (fabric8 mock server, recorded 1.20.2 discovery,"
              + " no controllers, no real admission) even when the real one could start.")
  boolean simulated;

  private final PrintStream out = System.out;
  private final EmbeddedStack.Progress progress = new EmbeddedStack.Progress(out);

  @Override
  public Integer call() throws Exception {
    Path run =
        dataDir.resolve(
            "run-" + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(':', '-'));
    DataDirectory data = new DataDirectory(run.resolve("hindsight")).prepare("--data-dir");
    DemoApiServer kube = startApiServer(run);
    if (kube == null) {
      return 3;
    }
    try (kube;
        KubernetesClient client = kube.client();
        EmbeddedStack stack = EmbeddedStack.start(settings(data, kube), progress)) {
      return demo(client, stack, data, kube);
    }
  }

  /**
   * The real API server, or the simulated one when it cannot start or {@code --simulated} was
   * given; null (the reason printed) when neither starts.
   */
  DemoApiServer startApiServer(Path run) {
    String because = "--simulated was given";
    if (!simulated) {
      progress.step("starting kube-apiserver 1.20.2 + etcd + kube-controller-manager on 127.0.0.1");
      try {
        KubeApiServer real = KubeApiServer.start(run.resolve("kube"));
        progress.done();
        return DemoApiServer.real(real);
      } catch (RuntimeException e) {
        out.println("FAILED");
        because = "the real kube-apiserver could not start: " + StandaloneCommand.oneLine(e);
      }
    }
    out.printf(
        "           API server: SIMULATED (%s)%n           because %s%n",
        SimulatedApiServer.DESCRIPTION, because);
    progress.step("starting the SIMULATED API server (fabric8 mock server, this JVM, 127.0.0.1)");
    try {
      DemoApiServer server =
          DemoApiServer.simulated(SimulatedApiServer.start(run.resolve("kube-simulated")), because);
      progress.done();
      return server;
    } catch (RuntimeException e) {
      out.println("FAILED");
      System.err.println(
          "hindsight demo: cannot start the API server: "
              + because
              + "; nor the simulated one: "
              + StandaloneCommand.oneLine(e));
      return null;
    }
  }

  private static EmbeddedStack.Settings settings(DataDirectory data, DemoApiServer kube) {
    return new EmbeddedStack.Settings(
        data,
        Map.of(
            WatcherConfig.CLUSTER_NAME,
            CLUSTER,
            WatcherConfig.KUBECONFIG,
            kube.kubeconfigPath().toString(),
            WatcherConfig.HEARTBEAT_INTERVAL_MS,
            "250"),
        Map.of(
            MaterializerConfig.COMMIT_INTERVAL_MS, "1000",
            MaterializerConfig.WATERMARK_INTERVAL_MS, "500",
            MaterializerConfig.CHECKPOINT_INTERVAL_MS, "60000",
            MaterializerConfig.CHECKPOINT_CHECK_MS, "1000"));
  }

  private int demo(
      KubernetesClient client, EmbeddedStack stack, DataDirectory data, DemoApiServer kube)
      throws Exception {
    CatalogConfig catalog = new CatalogConfig(data.catalog());
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    progress.step(
        "applying Online Boutique v0.7.0 (12 Deployments, 12 Services) to namespace " + NAMESPACE);
    List<HasMetadata> items;
    try (InputStream in =
        DemoCommand.class.getResourceAsStream("/demo/online-boutique-v0.7.0.yaml")) {
      items = client.load(in).items();
    }
    for (HasMetadata item : items) {
      client.resource(item).inNamespace(NAMESPACE).create();
    }
    progress.done();
    try (HistoryReader reader = HistoryReader.open(catalog)) {
      progress.step("waiting until the watcher and the streams-app have it in the history tables");
      Instant before =
          awaitState(
              reader,
              state -> deployment(state, "frontend").isPresent() && count(state, "Service") == 12,
              stack);
      progress.done();
      out.printf("           restore point: %s (the namespace as first applied)%n", before);

      progress.step(
          "changing it: frontend image v0.7.0 -> v0.8.0, cartservice scaled to 3, adservice deleted");
      var deployments = client.apps().deployments().inNamespace(NAMESPACE);
      deployments
          .withName("frontend")
          .edit(
              d ->
                  new DeploymentBuilder(d)
                      .editSpec()
                      .editTemplate()
                      .editSpec()
                      .editFirstContainer()
                      .withImage(NEW_IMAGE)
                      .endContainer()
                      .endSpec()
                      .endTemplate()
                      .endSpec()
                      .build());
      // spec.replicas, not the scale subresource, which the simulated API server does not serve;
      // the recorded change is the same
      deployments
          .withName("cartservice")
          .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(3).endSpec().build());
      deployments.withName("adservice").delete();
      client.services().inNamespace(NAMESPACE).withName("adservice").delete();
      progress.done();
      progress.step("waiting until the changes are in the history");
      Instant after =
          awaitState(
              reader,
              state ->
                  deployment(state, "adservice").isEmpty()
                      && image(state, "frontend").equals(NEW_IMAGE),
              stack);
      progress.done();

      printHistory(reader, before, after);

      progress.step("restoring " + NAMESPACE + " as it was at " + before + " into " + RESTORED);
      RestoreResult result =
          new Restorer(reader::stateAt, client, Clock.systemUTC())
              .restore(
                  RestoreRequest.builder(NAMESPACE, before)
                      .cluster(CLUSTER)
                      .toNamespace(RESTORED)
                      .sealingKeyFile(data.sealingKey())
                      .build(),
                  ProgressListener.NONE);
      progress.done();
      out.printf(
          "           %s: %s objects created, %s failed, in %.1f s%n",
          result.status(),
          result.with(Outcome.CREATED).size(),
          result.with(Outcome.FAILED).size(),
          result.seconds());
      boolean ok = result.status() == RestoreResult.Status.COMPLETED && check(client);
      out.printf(
          "%nDone in %.1f s%s. Data of this run: %s%n",
          progress.seconds(), ok ? "" : " — BUT A CHECK FAILED", data.root());
      kube.simulatedBecause()
          .ifPresent(
              because ->
                  out.printf(
                      "API server: SIMULATED (%s), because %s%n",
                      SimulatedApiServer.DESCRIPTION, because));
      out.printf(
          "Look around: hindsight history --data-dir %s --namespace %s%n"
              + "             hindsight diff --data-dir %s --namespace %s --from %s --to %s%n",
          data.root(), NAMESPACE, data.root(), NAMESPACE, before, after);
      if (keepRunning) {
        out.println("Everything keeps running (--keep-running); Ctrl-C stops it.");
        stack.failure().join();
      }
      return ok ? 0 : 1;
    }
  }

  /**
   * Waits until the state at the committed watermark satisfies {@code done}; returns that instant.
   */
  private Instant awaitState(HistoryReader reader, Predicate<State> done, EmbeddedStack stack)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "no watermark yet";
    while (System.nanoTime() < deadline) {
      if (stack.failure().isDone()) {
        throw new IllegalStateException("a part of the pipeline died: " + stack.failure().join());
      }
      try {
        Optional<Instant> through =
            reader.coverage(CLUSTER).completeThrough(Optional.of(NAMESPACE));
        if (through.isPresent()) {
          State state =
              reader.stateAt(
                  new StateQuery(
                      CLUSTER, Optional.of(NAMESPACE), through.get(), Selection.EVERYTHING, false));
          if (done.test(state)) {
            return through.get();
          }
          last = state.objects().size() + " objects at " + through.get();
        }
      } catch (RuntimeException notYet) {
        last = notYet.getMessage();
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException(
        "timed out after " + WAIT + " waiting for the history (" + last + ")");
  }

  private void printHistory(HistoryReader reader, Instant from, Instant to) {
    out.printf(
        "%nRecorded changes of namespace %s between the two instants (from the Iceberg tables):%n",
        NAMESPACE);
    for (Change change :
        reader.changes(CLUSTER, NAMESPACE, Selection.EVERYTHING, from.plusNanos(1000), to)) {
      var id = change.object().id();
      String detail = "";
      if (id.kind().equals("Deployment") && !change.deleted()) {
        JsonNode spec = json(change.object().json()).path("spec");
        detail =
            "replicas="
                + spec.path("replicas").asInt()
                + " image="
                + spec.at("/template/spec/containers/0/image").asText();
      }
      out.printf(
          "  %s  %-8s %-11s %-22s %s%n",
          change.object().observedAt(), change.eventType(), id.kind(), id.name(), detail);
    }
    out.println();
  }

  private boolean check(KubernetesClient client) {
    Map<String, Deployment> restored = byName(client, RESTORED);
    Map<String, Deployment> live = byName(client, NAMESPACE);
    String image = imageOf(restored.get("frontend"));
    Deployment cartservice = restored.get("cartservice");
    Integer replicas = cartservice == null ? null : cartservice.getSpec().getReplicas();
    boolean adservice = restored.containsKey("adservice");
    out.printf("%nChecks of %s against the recorded instant:%n", RESTORED);
    boolean imageOk = image != null && image.endsWith(":v0.7.0");
    boolean replicasOk = replicas != null && replicas == 1;
    out.printf(
        "  frontend image       %-60s %s (live %s: %s)%n",
        image, mark(imageOk), NAMESPACE, imageOf(live.get("frontend")));
    out.printf(
        "  cartservice replicas %-60s %s (live: %s)%n",
        replicas, mark(replicasOk), live.get("cartservice").getSpec().getReplicas());
    out.printf(
        "  adservice            %-60s %s (live: deleted)%n",
        adservice ? "present" : "missing", mark(adservice));
    int services = client.services().inNamespace(RESTORED).list().getItems().size();
    boolean allOk = restored.size() == 12 && services == 12;
    out.printf(
        "  objects              %-60s %s (live: %d Deployments, %d Services)%n",
        restored.size() + " Deployments, " + services + " Services",
        mark(allOk),
        live.size(),
        client.services().inNamespace(NAMESPACE).list().getItems().size());
    return imageOk && replicasOk && adservice && allOk;
  }

  private static Map<String, Deployment> byName(KubernetesClient client, String namespace) {
    Map<String, Deployment> deployments = new java.util.TreeMap<>();
    for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
      deployments.put(d.getMetadata().getName(), d);
    }
    return deployments;
  }

  private static String mark(boolean ok) {
    return ok ? "ok" : "WRONG";
  }

  private static String imageOf(Deployment d) {
    return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static Optional<JsonNode> deployment(State state, String name) {
    return state.objects().stream()
        .filter(o -> o.id().kind().equals("Deployment") && o.id().name().equals(name))
        .findFirst()
        .map(o -> json(o.json()));
  }

  private static String image(State state, String name) {
    return deployment(state, name)
        .map(d -> d.at("/spec/template/spec/containers/0/image").asText())
        .orElse("");
  }

  private static long count(State state, String kind) {
    return state.objects().stream().filter(o -> o.id().kind().equals(kind)).count();
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
