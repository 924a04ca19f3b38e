package io.hindsight.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.File;

/**
 * The memory baseline: a process that only does what the watcher cannot avoid — one fabric8
 * informer over {@code GenericKubernetesResource} ConfigMaps in every namespace, as the watcher's
 * informers are built — and holds its cache. Prints {@code READY <objects>} once synced, then waits
 * to be stopped. Usage: {@code InformerBaselineMain <kubeconfig>}.
 */
public final class InformerBaselineMain {
  private InformerBaselineMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: InformerBaselineMain <kubeconfig>");
      System.exit(2);
    }
    Config config = Config.fromKubeconfig(null, new File(args[0]));
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    SharedIndexInformer<GenericKubernetesResource> informer =
        client.genericKubernetesResources("v1", "ConfigMap").inAnyNamespace().runnableInformer(0);
    informer.start().toCompletableFuture().join();
    System.out.println("READY " + informer.getStore().list().size());
    System.out.flush();
    Thread.currentThread().join();
  }
}
