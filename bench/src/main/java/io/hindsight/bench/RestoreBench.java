package io.hindsight.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.hindsight.history.ObjectId;
import io.hindsight.history.State;
import io.hindsight.history.StoredObject;
import io.hindsight.restorer.Outcome;
import io.hindsight.restorer.ProgressListener;
import io.hindsight.restorer.RestoreRequest;
import io.hindsight.restorer.RestoreResult;
import io.hindsight.restorer.Restorer;
import io.hindsight.restorer.StateSource;
import io.hindsight.testing.kube.KubeApiServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 3: the restorer's apply rate into a real kube-apiserver, against one fabric8 client
 * creating the same objects one by one as fast as it can, in alternating rounds.
 *
 * <p>N objects of a namespace-shaped mix (60% ConfigMaps of 1–2 KiB, 15% headless Services, 10%
 * ServiceAccounts, 10% Roles, 5% RoleBindings) are created once in a source namespace and read back
 * as the watcher records them (the served JSON): that is the state at T. Restorer side: {@code
 * Restorer.restore} into a fresh namespace (discovery, listing the target, sanitize, order,
 * server-side apply with the default parallelism of 8 within each priority class), timed whole.
 * Baseline: one client, one thread, creating the namespace and the same N objects with {@code
 * create()}. Round 0 warms up both and is left out of the median.
 */
final class RestoreBench {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreBench.class);
  private static final String SOURCE = "bench-restore-src";

  /** One round: both sides' objects/s. */
  record Round(
      int round,
      int objects,
      double restorerSeconds,
      double restorerPerSecond,
      double baselineSeconds,
      double baselinePerSecond,
      double ratio) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Result(
      String startedAt,
      String command,
      MachineInfo machine,
      String kubeApiServer,
      int objects,
      int parallelism,
      String mix,
      List<Round> rounds,
      double medianRestorerPerSecond,
      double medianBaselinePerSecond,
      double medianRatio,
      double goalPerSecond) {

    void print(PrintStream out) {
      out.println();
      out.printf(
          "3. Restore apply rate: restorer (server-side apply, %d parallel per priority class) vs one fabric8 client creating one by one%n",
          parallelism);
      out.printf("   N=%d objects (%s), %s%n", objects, mix, kubeApiServer);
      out.println("   round   restorer s   objects/s   baseline s   objects/s    ratio");
      for (Round r : rounds) {
        out.printf(
            "   %-6s %11s %11s %12s %11s %8s%n",
            r.round() == 0 ? "0 (w)" : Integer.toString(r.round()),
            Stats.f2(r.restorerSeconds()),
            Stats.f0(r.restorerPerSecond()),
            Stats.f2(r.baselineSeconds()),
            Stats.f0(r.baselinePerSecond()),
            Stats.f2(r.ratio()));
      }
      out.printf(
          "   median %22s %24s %8s   goal >= %s objects/s: %s%n",
          Stats.f0(medianRestorerPerSecond),
          Stats.f0(medianBaselinePerSecond),
          Stats.f2(medianRatio),
          Stats.f0(goalPerSecond),
          medianRestorerPerSecond >= goalPerSecond ? "MET" : "NOT MET");
    }

    Path writeJson(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve(startedAt.replace(':', '-') + "-restore.json");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
      return file;
    }
  }

  private final KubeApiServer kube;
  private final int parallelism = 8;

  RestoreBench(KubeApiServer kube) {
    this.kube = kube;
  }

  Result run(int objects, int rounds, String startedAt, String command) {
    List<HasMetadata> generated = generate(objects);
    try (KubernetesClient setup = kube.client()) {
      setup.namespaces().resource(namespace(SOURCE)).create();
      createInParallel(setup, generated, SOURCE);
      StateSource state = record(setup);
      List<Round> results = new ArrayList<>();
      for (int round = 0; round <= rounds; round++) {
        Round r = round(round, generated, state);
        LOG.info(
            "restore round {}: restorer {} objects/s, baseline {} objects/s, ratio {}",
            round,
            Stats.f0(r.restorerPerSecond()),
            Stats.f0(r.baselinePerSecond()),
            Stats.f2(r.ratio()));
        results.add(r);
      }
      List<Round> measured = results.subList(1, results.size());
      return new Result(
          startedAt,
          command,
          MachineInfo.current(),
          "kube-apiserver v1.20.2 + etcd 3.4 + kube-controller-manager",
          objects,
          parallelism,
          "60% ConfigMaps 1-2 KiB, 15% headless Services, 10% ServiceAccounts, 10% Roles, 5% RoleBindings",
          results,
          Stats.median(measured.stream().map(Round::restorerPerSecond).toList()),
          Stats.median(measured.stream().map(Round::baselinePerSecond).toList()),
          Stats.median(measured.stream().map(Round::ratio).toList()),
          200);
    }
  }

  private Round round(int round, List<HasMetadata> generated, StateSource state) {
    // the restorer first in even rounds, the baseline first in odd ones
    double[] restorer = new double[2];
    double[] baseline = new double[2];
    Runnable restore =
        () -> {
          Config config = kube.config();
          config.setMaxConcurrentRequestsPerHost(parallelism * 2);
          config.setMaxConcurrentRequests(Math.max(64, parallelism * 2));
          try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            long t0 = System.nanoTime();
            RestoreResult result =
                new Restorer(state, client, Clock.systemUTC())
                    .restore(
                        RestoreRequest.builder(SOURCE, Instant.now())
                            .toNamespace("bench-restore-r" + round)
                            .parallelism(parallelism)
                            .build(),
                        ProgressListener.NONE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            int created = result.with(Outcome.CREATED).size();
            if (result.status() != RestoreResult.Status.COMPLETED || created < generated.size()) {
              throw new IllegalStateException(
                  "restore round "
                      + round
                      + " "
                      + result.status()
                      + ", created "
                      + created
                      + " of "
                      + generated.size()
                      + ": "
                      + result.errors());
            }
            restorer[0] = seconds;
            restorer[1] = created / seconds;
          }
        };
    Runnable base =
        () -> {
          try (KubernetesClient client = kube.client()) {
            String ns = "bench-baseline-r" + round;
            long t0 = System.nanoTime();
            client.namespaces().resource(namespace(ns)).create();
            for (HasMetadata object : generated) {
              client.resource(object).inNamespace(ns).create();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            baseline[0] = seconds;
            baseline[1] = (generated.size() + 1) / seconds;
          }
        };
    if (round % 2 == 0) {
      restore.run();
      base.run();
    } else {
      base.run();
      restore.run();
    }
    return new Round(
        round,
        generated.size(),
        restorer[0],
        restorer[1],
        baseline[0],
        baseline[1],
        restorer[1] / baseline[1]);
  }

  /** The state at T: every object of the source namespace as served, as the watcher records it. */
  private static StateSource record(KubernetesClient client) {
    List<StoredObject> objects = new ArrayList<>();
    List<ResourceDefinitionContext> types =
        List.of(
            context("", "v1", "ConfigMap", "configmaps"),
            context("", "v1", "Service", "services"),
            context("", "v1", "ServiceAccount", "serviceaccounts"),
            context("rbac.authorization.k8s.io", "v1", "Role", "roles"),
            context("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"));
    ObjectMapper json = new ObjectMapper();
    for (ResourceDefinitionContext type : types) {
      for (GenericKubernetesResource item :
          client.genericKubernetesResources(type).inNamespace(SOURCE).list().getItems()) {
        var meta = item.getMetadata();
        try {
          objects.add(
              new StoredObject(
                  new ObjectId("bench", type.getGroup(), type.getKind(), SOURCE, meta.getName()),
                  item.getApiVersion(),
                  meta.getUid(),
                  meta.getResourceVersion(),
                  meta.getGeneration(),
                  Instant.now(),
                  json.writeValueAsString(item),
                  "",
                  meta.getLabels(),
                  null,
                  0,
                  0));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return query -> {
      String ns = query.namespace().orElseThrow();
      List<StoredObject> selected =
          objects.stream().filter(o -> o.id().namespace().equals(ns)).toList();
      return new State("bench", query.at(), query.at(), selected, 0, selected.size());
    };
  }

  private static ResourceDefinitionContext context(
      String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  private static void createInParallel(
      KubernetesClient client, List<HasMetadata> objects, String ns) {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (HasMetadata object : objects) {
        futures.add(pool.submit(() -> client.resource(object).inNamespace(ns).create()));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("creating the source objects failed: " + e, e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static io.fabric8.kubernetes.api.model.Namespace namespace(String name) {
    return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  /**
   * The mix: per 20 objects 12 ConfigMaps, 3 Services, 2 ServiceAccounts, 2 Roles, 1 RoleBinding.
   */
  static List<HasMetadata> generate(int n) {
    List<HasMetadata> objects = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String app = "app-" + (i / 20);
      Map<String, String> labels = Map.of("app", app, "tier", i % 2 == 0 ? "web" : "backend");
      int slot = i % 20;
      if (slot < 12) {
        StringBuilder config = new StringBuilder();
        for (int line = 0; config.length() < 1024 + (i % 8) * 128; line++) {
          config
              .append(app)
              .append(".setting.")
              .append(line)
              .append(" = value-")
              .append(i * 31 + line)
              .append('\n');
        }
        objects.add(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("cm-" + i)
                .withLabels(labels)
                .endMetadata()
                .addToData("application.properties", config.toString())
                .build());
      } else if (slot < 15) {
        objects.add(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("svc-" + i)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None") // headless: the test server has 254 service addresses
                .addToSelector("app", app)
                .addNewPort()
                .withName("http")
                .withPort(80)
                .withProtocol("TCP")
                .withNewTargetPort(8080)
                .endPort()
                .endSpec()
                .build());
      } else if (slot < 17) {
        objects.add(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("sa-" + i)
                .withLabels(labels)
                .endMetadata()
                .build());
      } else if (slot < 19) {
        objects.add(
            new RoleBuilder()
                .withNewMetadata()
                .withName("role-" + i)
                .withLabels(labels)
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("configmaps", "secrets")
                .withVerbs("get", "list", "watch")
                .endRule()
                .build());
      } else {
        objects.add(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("rb-" + i)
                .withLabels(labels)
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName("role-" + (i - 1))
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("sa-" + (i - 3))
                .endSubject()
                .build());
      }
    }
    return objects;
  }
}
