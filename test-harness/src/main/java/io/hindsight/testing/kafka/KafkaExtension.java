package io.hindsight.testing.kafka;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link KafkaBroker}: one per test JVM, started on first use and stopped when the
 * JVM's tests are done, so all test classes of a module share it. Tests isolate themselves by topic
 * name.
 */
public final class KafkaExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(KafkaExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    broker(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return broker(context);
  }

  private static KafkaBroker broker(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent("broker", key -> new Shared(KafkaBrokers.start()), Shared.class)
        .broker();
  }

  private record Shared(KafkaBroker broker) implements AutoCloseable {
    @Override
    public void close() {
      broker.close();
    }
  }
}
