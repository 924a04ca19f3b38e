package io.hindsight.e2e;

import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.testing.kube.KubeApiServerExtension;
import io.hindsight.testing.registry.RegistryExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One deployed {@link Pipeline} for the whole suite (broker process, {@code hindsight watch},
 * {@code hindsight materialize}, catalog), over the JVM's shared API server and registry: started
 * by the first test class, closed after the last (JUnit closes the root store's values, newest
 * first, so the pipeline stops before the servers it uses). Each test class works in a namespace of
 * its own; {@link FaultsIT}, which kills and restarts the parts, runs last ({@code @Order}).
 */
final class SharedPipeline implements BeforeAllCallback, ParameterResolver {
  static final String CLUSTER = "e2e";

  /** The namespaces the watcher records (the restores' targets are not recorded). */
  static final List<String> NAMESPACES = List.of("rt", "in-place", "faults");

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(SharedPipeline.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    pipeline(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Pipeline.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return pipeline(context);
  }

  private static Pipeline pipeline(ExtensionContext context) {
    KubeApiServer kube = KubeApiServerExtension.server(context);
    var registry = RegistryExtension.server(context);
    return context
        .getRoot()
        .getStore(STORE)
        .getOrComputeIfAbsent(
            Pipeline.class,
            type ->
                Pipeline.start(
                    TestDirs.create("pipeline-"),
                    CLUSTER,
                    kube,
                    registry,
                    Map.of("watcher.namespaces.include", String.join(",", NAMESPACES)),
                    Map.of(
                        // checkpoints every few seconds of business time: later instants are
                        // restored from a checkpoint plus the changes after it
                        "materializer.checkpoint-interval-ms", "3000",
                        // table maintenance (compaction, expiry) runs too, as in production
                        "materializer.maintenance-interval-ms", "20000")),
            Pipeline.class);
  }
}
