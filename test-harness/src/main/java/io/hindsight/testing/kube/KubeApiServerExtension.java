package io.hindsight.testing.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real kube-apiserver ({@link KubeApiServer}): one per test JVM, started by the first
 * test class that uses this extension, shared by all of them, and stopped when the JVM's tests are
 * done. Injects {@link KubeApiServer} and {@link KubernetesClient} parameters (constructor,
 * lifecycle and test methods); a client is closed at the end of the scope it was injected into.
 *
 * <pre>{@code
 * @ExtendWith(KubeApiServerExtension.class)
 * class WatcherIT {
 *   @Test
 *   void seesChanges(KubernetesClient client) { ... }
 * }
 * }</pre>
 *
 * <p>The shared server outlives test classes, so tests isolate themselves by namespace. State and
 * logs go to {@code target/kube-apiserver-*} of the module under test, or below the folder named by
 * the system property {@code hindsight.kube.state}.
 */
public final class KubeApiServerExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KubeApiServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubeApiServer.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KubeApiServer server = server(context);
    if (parameter.getParameter().getType() == KubeApiServer.class) {
      return server;
    }
    // stored in the store of the scope that asked, which closes it (AutoCloseable) at its end
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            KubernetesClient.class, type -> server.client(), KubernetesClient.class);
  }

  /**
   * The JVM's server, kept in the root context's store: JUnit closes stored {@code AutoCloseable}
   * values when that context ends, i.e. after the last test class. {@link KubeApiServer} also stops
   * its processes from a shutdown hook if the JVM ends first. Public for extensions of other
   * modules that build on the shared server.
   */
  public static KubeApiServer server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            KubeApiServer.class, type -> KubeApiServer.start(newStateDir()), KubeApiServer.class);
  }

  private static Path newStateDir() {
    Path parent = Path.of(System.getProperty("hindsight.kube.state", "target"));
    try {
      Files.createDirectories(parent);
      return Files.createTempDirectory(parent.toAbsolutePath(), "kube-apiserver-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a state folder under " + parent, e);
    }
  }
}
