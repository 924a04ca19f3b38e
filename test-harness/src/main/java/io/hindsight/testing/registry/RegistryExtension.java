package io.hindsight.testing.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link RegistryServer}: one per test JVM, started by the first test class that uses
 * this extension, shared by all of them, and stopped when the JVM's tests are done. Injects {@link
 * RegistryServer} parameters (constructor, lifecycle and test methods).
 *
 * <pre>{@code
 * @ExtendWith(RegistryExtension.class)
 * class SerdeIT {
 *   @Test
 *   void registers(RegistryServer registry) { ... registry.url() ... }
 * }
 * }</pre>
 *
 * <p>The shared server outlives test classes, so tests isolate themselves by subject name. Data and
 * log go to {@code target/registry-*} of the module under test, or below the folder named by the
 * system property {@code hindsight.registry.state}.
 */
public final class RegistryExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RegistryExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RegistryServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  /**
   * The JVM's server, kept in the root context's store: JUnit closes stored {@code AutoCloseable}
   * values when that context ends, i.e. after the last test class. {@link RegistryServer} also
   * stops its process from a shutdown hook if the JVM ends first. Public for extensions of other
   * modules that build on the shared server.
   */
  public static RegistryServer server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            RegistryServer.class, type -> RegistryServer.start(newDataDir()), RegistryServer.class);
  }

  private static Path newDataDir() {
    Path parent = Path.of(System.getProperty("hindsight.registry.state", "target"));
    try {
      Files.createDirectories(parent);
      return Files.createTempDirectory(parent.toAbsolutePath(), "registry-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data folder under " + parent, e);
    }
  }
}
