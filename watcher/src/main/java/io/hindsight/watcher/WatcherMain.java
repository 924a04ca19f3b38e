package io.hindsight.watcher;

import io.hindsight.schemas.config.ConfigSources;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the watcher until stopped. Usage: {@code WatcherMain [--config FILE] [key=value ...]}.
 *
 * <p>Exit codes: 143 or 130 stopped by SIGTERM or SIGINT (after a clean close); 2 bad
 * configuration; 3 could not start (a server unreachable, a port in use); 4 a part died while
 * running (an informer stopped for good, Kafka fenced or refused the watcher, a bad object under
 * {@code watcher.on-bad-object=fail}). Launched with the options of {@code watcher/jvm.options} (as
 * {@code ./hindsight watch} does), an exhausted heap ends the process with the JVM's exit code 3
 * ({@code -XX:+ExitOnOutOfMemoryError}).
 */
public final class WatcherMain {
  private static final Logger LOG = LoggerFactory.getLogger(WatcherMain.class);
  static final int EXIT_CONFIG = 2;
  static final int EXIT_START = 3;
  static final int EXIT_FAILED = 4;

  private WatcherMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  public static int run(String[] args, java.io.PrintStream err) {
    WatcherConfig config;
    try {
      config = parse(args);
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("hindsight watcher: bad configuration: " + e.getMessage());
      return EXIT_CONFIG;
    }
    Watcher watcher;
    try {
      watcher = Watcher.start(config);
    } catch (RuntimeException e) {
      err.println("hindsight watcher: cannot start: " + e.getMessage());
      LOG.debug("start failed", e);
      return EXIT_START;
    }
    // on SIGTERM/SIGINT the hook closes the watcher and the JVM exits 0; otherwise wait for a death
    Thread hook = new Thread(watcher::close, "hindsight-watcher-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Throwable cause = watcher.failure().join();
    err.println("hindsight watcher: stopped: " + cause.getMessage());
    return EXIT_FAILED;
  }

  static WatcherConfig parse(String[] args) {
    return new WatcherConfig(
        ConfigSources.fromArguments(
            WatcherConfig.DEFINITION.names(), Set.of(), args, System.getenv()));
  }
}
