package io.hindsight.materializer;

import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.schemas.config.ConfigSources;
import java.io.PrintStream;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the streams-app until stopped. Usage: {@code MaterializerMain [--config FILE] [key=value
 * ...]}; keys also come from the environment ({@code HINDSIGHT_} + upper snake case).
 *
 * <p>Exit codes: 143 or 130 stopped by SIGTERM or SIGINT (after a clean close); 2 bad
 * configuration; 3 could not start (Kafka or the catalog unreachable); 4 a part died while running
 * (a stream thread failed, the catalog stayed away longer than the commit timeout, a bad record
 * under {@code materializer.on-bad-record=fail}).
 */
public final class MaterializerMain {
  private static final Logger LOG = LoggerFactory.getLogger(MaterializerMain.class);
  static final int EXIT_CONFIG = 2;
  static final int EXIT_START = 3;
  static final int EXIT_FAILED = 4;

  private MaterializerMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  public static int run(String[] args, PrintStream err) {
    MaterializerConfig config;
    try {
      config = parse(args);
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("hindsight materialize: bad configuration: " + e.getMessage());
      return EXIT_CONFIG;
    }
    Materializer materializer;
    try {
      materializer = Materializer.start(config);
    } catch (RuntimeException e) {
      err.println("hindsight materialize: cannot start: " + e.getMessage());
      LOG.debug("start failed", e);
      return EXIT_START;
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(materializer::close, "hindsight-materializer-shutdown"));
    Throwable cause = materializer.failure().join();
    err.println("hindsight materialize: stopped: " + cause.getMessage());
    return EXIT_FAILED;
  }

  static MaterializerConfig parse(String[] args) {
    return new MaterializerConfig(
        ConfigSources.fromArguments(
            MaterializerConfig.DEFINITION.names(),
            Set.of(CatalogConfig.PROPERTY_PREFIX),
            args,
            System.getenv()));
  }
}
