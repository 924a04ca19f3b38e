package io.hindsight.testing.kube;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane for tests: etcd 3.4, kube-apiserver 1.20.2 and
 * kube-controller-manager as child processes on 127.0.0.1, with certificates, data and logs in a
 * state folder. No scheduler and no kubelet, so Pods stay Pending; everything an API client sees is
 * real (discovery, CRDs, RBAC, server-side apply, dry-run, watches that expire with 410 Gone).
 *
 * <p>The binaries come from {@code infra/kube-apiserver/build.sh} (see {@link KubeBinaries}); the
 * first start on a machine builds them, which takes about 5 minutes. The flags are those of {@code
 * infra/kube-apiserver/launch.sh}, which starts the same processes by hand.
 *
 * <pre>{@code
 * try (KubeApiServer kube = KubeApiServer.start(Path.of("target/kube"));
 *     KubernetesClient client = kube.client()) {
 *   client.namespaces().resource(...).create();
 * }
 * }</pre>
 *
 * <p>In JUnit 5 tests, prefer {@link KubeApiServerExtension}, which shares one server per test JVM.
 */
public final class KubeApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeApiServer.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern REVISION = Pattern.compile("\"revision\"\\s*:\\s*\"?(\\d+)");

  private final Path stateDir;
  private final KubeBinaries binaries;
  private final KubePki pki;
  private final Ports ports;
  private final HttpClient http;
  private final Path kubeconfig;
  private final Thread shutdownHook = new Thread(this::stopChildren, "kube-apiserver-shutdown");
  private ChildProcess etcd;
  private ChildProcess apiServer;
  private ChildProcess controllerManager;
  private boolean closed;

  /** The loopback ports of one control plane; kept across restarts. */
  record Ports(int etcdClient, int etcdPeer, int apiServer) {
    static Ports free() {
      return new Ports(FreePorts.next(), FreePorts.next(), FreePorts.next());
    }
  }

  private KubeApiServer(Path stateDir, KubeBinaries binaries) {
    this.stateDir = stateDir;
    this.binaries = binaries;
    this.pki = KubePki.createIn(stateDir.resolve("pki"));
    this.ports = Ports.free();
    this.http =
        HttpClient.newBuilder()
            .sslContext(pki.sslContext())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.kubeconfig = stateDir.resolve("kubeconfig");
  }

  /**
   * Starts etcd, kube-apiserver and kube-controller-manager with their state in {@code stateDir}
   * (created if missing), and returns once the API server answers {@code /readyz}.
   *
   * @throws IllegalStateException when a process does not come up within 60 s; the message holds
   *     the last lines of its log
   */
  public static KubeApiServer start(Path stateDir) {
    long t0 = System.nanoTime();
    Path dir = stateDir.toAbsolutePath();
    KubeBinaries binaries = KubeBinaries.locate(dir.resolve("logs/build.log"));
    KubeApiServer server = new KubeApiServer(dir, binaries);
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    try {
      server.startAll();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    LOG.info(
        "kube-apiserver {} ready at {} in {} ms (etcd {}, state {}); RSS etcd {} MiB,"
            + " kube-apiserver {} MiB",
        KubeBinaries.VERSION,
        server.url(),
        (System.nanoTime() - t0) / 1_000_000,
        server.etcdUrl(),
        dir,
        server.etcd.rssKiB() / 1024,
        server.apiServer.rssKiB() / 1024);
    return server;
  }

  private synchronized void startAll() {
    // etcd gets time to close its database cleanly; kube-apiserver waits for open watches to end
    // (which they do not) before exiting, so it gets little; kube-controller-manager holds no state
    etcd =
        ChildProcess.start(
            "etcd", etcdCommand(), stateDir.resolve("logs/etcd.log"), Duration.ofSeconds(10));
    awaitEtcd();
    apiServer =
        ChildProcess.start(
            "kube-apiserver",
            apiServerCommand(),
            stateDir.resolve("logs/kube-apiserver.log"),
            Duration.ofSeconds(2));
    awaitApiServer();
    writeKubeconfig(kubeconfig, "admin", pki.adminToken());
    Path cmKubeconfig = stateDir.resolve("controller-manager.kubeconfig");
    writeKubeconfig(cmKubeconfig, "kube-controller-manager", pki.controllerManagerToken());
    controllerManager =
        ChildProcess.start(
            "kube-controller-manager",
            controllerManagerCommand(cmKubeconfig),
            stateDir.resolve("logs/kube-controller-manager.log"),
            Duration.ofSeconds(2));
  }

  /**
   * The kubeconfig of the admin user (group {@code system:masters}); a file in the state folder.
   */
  public Path kubeconfigPath() {
    return kubeconfig;
  }

  /**
   * CPU time etcd and kube-apiserver have used so far, together: what serving the cluster costs
   * (benchmarks set it against what the client side spends).
   */
  public Duration serverCpuTime() {
    Duration total = Duration.ZERO;
    for (ChildProcess child : new ChildProcess[] {apiServer, etcd}) {
      if (child != null) {
        total = total.plus(child.cpuTime());
      }
    }
    return total;
  }

  /** {@code https://127.0.0.1:PORT}; the same across restarts. */
  public String url() {
    return "https://127.0.0.1:" + ports.apiServer();
  }

  /** The fabric8 configuration of the admin user, read from {@link #kubeconfigPath()}. */
  public Config config() {
    return Config.fromKubeconfig(kubeconfig.toFile());
  }

  /** A new client for the admin user; the caller closes it. */
  public KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** The state folder: pki/, etcd/, logs/, kubeconfig. */
  public Path stateDir() {
    return stateDir;
  }

  /**
   * Stops and starts kube-apiserver on the same port and etcd; returns once it is ready again. Open
   * watches break (clients reconnect), stored objects stay, and the watch cache starts afresh from
   * etcd's current revision.
   */
  public synchronized void restartApiServer() {
    checkOpen();
    long t0 = System.nanoTime();
    apiServer.stop();
    apiServer.start();
    awaitApiServer();
    if (!controllerManager.isAlive()) {
      LOG.warn("kube-controller-manager had exited; starting it again");
      controllerManager.start();
    }
    LOG.info("kube-apiserver restarted in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  /** Stops and starts etcd on the same ports and data; returns once the API server is ready. */
  public synchronized void restartEtcd() {
    checkOpen();
    etcd.stop();
    etcd.start();
    awaitEtcd();
    awaitApiServer();
  }

  /**
   * Compacts etcd to its current revision and restarts kube-apiserver, so that every
   * resourceVersion seen before this call has expired: a watch from it gets 410 Gone (an {@code
   * ERROR} event with status 410, which fabric8 reports as {@code WatcherException.isHttpGone()}),
   * and informers relist. This is what a client meets in a real cluster after a long disconnect.
   *
   * <p>The restart matters: kube-apiserver serves watches from its watch cache, which keeps recent
   * events in memory regardless of etcd compaction; a fresh cache starts at the compacted revision.
   *
   * @return the revision etcd was compacted to
   */
  public synchronized long compactEtcd() {
    checkOpen();
    long revision = etcdRevision();
    etcdPost("/v3/kv/compaction", "{\"revision\":\"" + revision + "\",\"physical\":true}");
    LOG.info("etcd compacted to revision {}", revision);
    restartApiServer();
    return revision;
  }

  /** etcd's current revision: the newest resourceVersion of the whole cluster. */
  public long etcdRevision() {
    // a range read of any key returns the store's revision in its header
    String response = etcdPost("/v3/kv/range", "{\"key\":\"Lw==\",\"limit\":1}");
    Matcher matcher = REVISION.matcher(response);
    if (!matcher.find()) {
      throw new IllegalStateException("no revision in etcd's answer: " + response);
    }
    return Long.parseLong(matcher.group(1));
  }

  /** Stops every child process (controller-manager, API server, etcd); the state folder stays. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopChildren();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already; the hook runs stopChildren, which is idempotent
    }
    LOG.info("kube-apiserver at {} stopped; state kept in {}", url(), stateDir);
  }

  private void stopChildren() {
    for (ChildProcess child : new ChildProcess[] {controllerManager, apiServer, etcd}) {
      if (child != null) {
        child.stop();
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("kube-apiserver at " + url() + " is closed");
    }
  }

  String etcdUrl() {
    return "http://127.0.0.1:" + ports.etcdClient();
  }

  private List<String> etcdCommand() {
    String peer = "http://127.0.0.1:" + ports.etcdPeer();
    return List.of(
        binaries.etcd().toString(),
        "--name=hindsight",
        "--data-dir=" + stateDir.resolve("etcd"),
        "--listen-client-urls=" + etcdUrl(),
        "--advertise-client-urls=" + etcdUrl(),
        "--listen-peer-urls=" + peer,
        "--initial-advertise-peer-urls=" + peer,
        "--initial-cluster=hindsight=" + peer,
        "--logger=zap",
        "--log-outputs=stderr");
  }

  private List<String> apiServerCommand() {
    return List.of(
        binaries.apiServer().toString(),
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--secure-port=" + ports.apiServer(),
        "--insecure-port=0",
        "--etcd-servers=" + etcdUrl(),
        "--cert-dir=" + stateDir.resolve("apiserver"),
        "--tls-cert-file=" + pki.serverCert(),
        "--tls-private-key-file=" + pki.serverKey(),
        "--client-ca-file=" + pki.caCert(),
        "--token-auth-file=" + pki.tokens(),
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=" + pki.serviceAccountPublicKey(),
        "--service-account-signing-key-file=" + pki.serviceAccountKey(),
        "--service-cluster-ip-range=10.0.0.0/24",
        "--disable-admission-plugins=ServiceAccount",
        "--endpoint-reconciler-type=none",
        "--allow-privileged=true",
        "--profiling=false");
  }

  private List<String> controllerManagerCommand(Path cmKubeconfig) {
    List<String> command = new ArrayList<>();
    command.add(binaries.controllerManager().toString());
    command.addAll(
        List.of(
            "--kubeconfig=" + cmKubeconfig,
            "--secure-port=0",
            "--port=0",
            "--use-service-account-credentials=false",
            "--root-ca-file=" + pki.caCert(),
            "--service-account-private-key-file=" + pki.serviceAccountKey(),
            "--cluster-signing-cert-file=" + pki.caCert(),
            "--cluster-signing-key-file=" + pki.caKey(),
            "--controllers=*",
            "--leader-elect=false"));
    return command;
  }

  private void awaitEtcd() {
    awaitReady(etcd, () -> get(URI.create(etcdUrl() + "/health"), false).contains("true"));
  }

  private void awaitApiServer() {
    awaitReady(apiServer, () -> "ok".equals(get(URI.create(url() + "/readyz"), true)));
  }

  private void awaitReady(ChildProcess child, java.util.concurrent.Callable<Boolean> probe) {
    try {
      await(child.name() + " ready")
          .atMost(READY_TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                child.checkAlive(); // fails at once, with the log, when the process died
                return probe.call();
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          child.name() + " not ready within " + READY_TIMEOUT + "; " + child.logTail(), e);
    }
  }

  /** The body of a 200 answer, or "" for any other answer or a connection failure. */
  private String get(URI uri, boolean authenticated) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
    if (authenticated) {
      request.header("Authorization", "Bearer " + pki.adminToken());
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body().trim() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A call to etcd's JSON gateway (the v3 gRPC API over HTTP). */
  private String etcdPost(String path, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(etcdUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "etcd " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("etcd " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void writeKubeconfig(Path file, String user, String token) {
    try {
      Files.writeString(file, pki.kubeconfig(url(), user, token));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
