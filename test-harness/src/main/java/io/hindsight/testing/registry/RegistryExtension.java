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
 * Gives tests a {@link RegistryServer}: one per test JVM, started on first use and stopped when the
 * JVM's tests are done. Tests isolate themselves by subject (topic) name.
 */
public final class RegistryExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
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

  private static RegistryServer server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent(
            "registry", key -> new Shared(RegistryServer.start(dataDir())), Shared.class)
        .server();
  }

  private static Path dataDir() {
    try {
      return Files.createTempDirectory(
          Path.of(System.getProperty("java.io.tmpdir")), "hindsight-registry-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Shared(RegistryServer server) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
    }
  }
}
