package io.hindsight.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.cli.demo.SimulatedApiServer;
import io.hindsight.testing.kube.KubeApiServer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The API server the demo runs against: the real kube-apiserver, or the simulated one and why.
 * Closing it stops it.
 */
final class DemoApiServer implements AutoCloseable {
  private final AutoCloseable server;
  private final Path kubeconfig;
  private final Supplier<KubernetesClient> clients;
  private final String simulatedBecause;

  private DemoApiServer(
      AutoCloseable server,
      Path kubeconfig,
      Supplier<KubernetesClient> clients,
      String simulatedBecause) {
    this.server = server;
    this.kubeconfig = kubeconfig;
    this.clients = clients;
    this.simulatedBecause = simulatedBecause;
  }

  static DemoApiServer real(KubeApiServer kube) {
    return new DemoApiServer(kube, kube.kubeconfigPath(), kube::client, null);
  }

  static DemoApiServer simulated(SimulatedApiServer simulation, String because) {
    return new DemoApiServer(simulation, simulation.kubeconfigPath(), simulation::client, because);
  }

  /** The kubeconfig the watcher is given. */
  Path kubeconfigPath() {
    return kubeconfig;
  }

  /** A new client; the caller closes it. */
  KubernetesClient client() {
    return clients.get();
  }

  /**
   * Why it is the simulated one (the real one's failure, or {@code --simulated}); empty if real.
   */
  Optional<String> simulatedBecause() {
    return Optional.ofNullable(simulatedBecause);
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
