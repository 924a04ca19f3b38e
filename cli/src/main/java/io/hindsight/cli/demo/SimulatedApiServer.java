package io.hindsight.cli.demo;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A SIMULATED Kubernetes API server in this JVM, for the demo when the real kube-apiserver cannot
 * start: fabric8's mock server in CRUD mode on 127.0.0.1 (plain HTTP) behind {@link
 * SimulatedDispatcher}, which serves the recorded discovery of kube-apiserver 1.20.2 and
 * server-side apply. It stores objects and streams watch events, and nothing more: no controllers
 * (no ReplicaSets, Pods, default ServiceAccounts), no admission or validation, no field ownership,
 * no watch expiry (410 Gone), no conversion between versions.
 */
public final class SimulatedApiServer implements AutoCloseable {
  /** What it is, in one line, for the demo's output. */
  public static final String DESCRIPTION =
      "fabric8 mock server with the recorded discovery of kube-apiserver 1.20.2:"
          + " no controllers, no real admission";

  // the mock logs every request at INFO through java.util.logging, onto the demo's stderr; held
  // here, since java.util.logging keeps its loggers (and their levels) only weakly
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  private final KubernetesMockServer server;
  private final Path kubeconfig;

  private SimulatedApiServer(KubernetesMockServer server, Path kubeconfig) {
    this.server = server;
    this.kubeconfig = kubeconfig;
  }

  /** Starts it on a free loopback port and writes its kubeconfig into {@code stateDir}. */
  public static SimulatedApiServer start(Path stateDir) {
    MOCK_LOG.setLevel(Level.WARNING);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            new HashMap<>(),
            new SimulatedDispatcher(RecordedDiscovery.load(), Clock.systemUTC()),
            false);
    server.start(InetAddress.getLoopbackAddress(), 0);
    try {
      Files.createDirectories(stateDir);
      Path kubeconfig = stateDir.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig("http://127.0.0.1:" + server.getPort()));
      return new SimulatedApiServer(server, kubeconfig);
    } catch (IOException | RuntimeException e) {
      server.shutdown();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot write the simulated API server's kubeconfig", io);
      }
      throw (RuntimeException) e;
    }
  }

  /** A kubeconfig naming it (context {@code simulated}); what the watcher is given. */
  public Path kubeconfigPath() {
    return kubeconfig;
  }

  /** A new client of it, configured from {@link #kubeconfigPath()}; the caller closes it. */
  public KubernetesClient client() {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kubeconfig.toFile()))
        .build();
  }

  @Override
  public void close() {
    server.shutdown();
  }

  private static String kubeconfig(String url) {
    return String.join(
        "\n",
        "# the demo's SIMULATED API server (fabric8 mock server); it accepts any token",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: simulated",
        "  cluster:",
        "    server: " + url,
        "users:",
        "- name: demo",
        "  user:",
        "    token: simulated",
        "contexts:",
        "- name: simulated",
        "  context:",
        "    cluster: simulated",
        "    user: demo",
        "current-context: simulated",
        "");
  }
}
