package io.hindsight.cli;

import io.fabric8.kubernetes.client.Config;
import io.hindsight.materializer.MaterializerConfig;
import io.hindsight.watcher.WatcherConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hindsight standalone}: the whole pipeline on one machine for the current cluster. */
@Command(
    name = "standalone",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Record every change of a cluster and keep its history, on this machine, in one command:",
      "a Kafka broker and a schema registry (each its own JVM, on 127.0.0.1), the watcher and the",
      "streams-app, with the history tables (SQLite catalog, local warehouse) under --data-dir.",
      "Runs until stopped (Ctrl-C stops everything it started); started again on the same",
      "--data-dir it resumes where it stopped, with no change lost."
    },
    footer = {
      "",
      "Examples:",
      "  hindsight standalone                                   # the current kubeconfig context",
      "  hindsight standalone --context staging --namespaces shop,db",
      "  hindsight standalone --kubeconfig ~/.kube/prod --data-dir /var/lib/hindsight \\",
      "      --watcher-http-port 9400 --materializer-http-port 9401",
      "  # then, from another shell:",
      "  hindsight restore --namespace shop --at -15m --to-namespace shop-copy",
      "",
      "Exit codes: 2 bad option or configuration (the message names it), 3 a part could not start,",
      "4 a part died while running; 130/143 stopped by Ctrl-C/SIGTERM."
    })
final class StandaloneCommand implements Callable<Integer> {
  static final int CONFIG = 2;
  static final int START = 3;
  static final int DIED = 4;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where everything is kept (default: ~/.hindsight).")
  Path dataDir;

  @Option(
      names = "--kubeconfig",
      paramLabel = "PATH",
      description = "kubeconfig of the cluster (default: KUBECONFIG, then ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "C",
      description = "kubeconfig context (default: current).")
  String context;

  @Option(
      names = "--cluster-name",
      paramLabel = "NAME",
      description = "Name of the cluster in the history (default: the context's name).")
  String clusterName;

  @Option(
      names = "--namespaces",
      split = ",",
      paramLabel = "NS",
      description = "Record only these namespaces (cluster-scoped objects always).")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = "--exclude-namespaces",
      split = ",",
      paramLabel = "NS",
      description = "Never record these namespaces.")
  List<String> excludeNamespaces = new ArrayList<>();

  @Option(
      names = "--watcher-http-port",
      paramLabel = "PORT",
      description = "Serve the watcher's /metrics, /healthz, /readyz here (default: off).")
  Integer watcherPort;

  @Option(
      names = "--materializer-http-port",
      paramLabel = "PORT",
      description = "Serve the streams-app's /metrics, /healthz, /readyz here (default: off).")
  Integer materializerPort;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Any key of docs/configuration.md, e.g. --set materializer.commit-interval-ms=5000"
              + " (watcher.* to the watcher, materializer.* and catalog.* to the streams-app).")
  List<String> settings = new ArrayList<>();

  private final PrintStream out;
  private final PrintStream err;

  StandaloneCommand() {
    this(System.out, System.err);
  }

  StandaloneCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    EmbeddedStack.Settings plan;
    DataDirectory data;
    try {
      data =
          (dataDir == null ? DataDirectory.defaultLocation() : new DataDirectory(dataDir))
              .prepare("--data-dir");
      plan = plan(data);
      checkPortFree(watcherPort, "--watcher-http-port");
      checkPortFree(materializerPort, "--materializer-http-port");
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("hindsight standalone: " + e.getMessage());
      return CONFIG;
    }
    try (FileChannel lockFile =
            FileChannel.open(
                data.root().resolve("standalone.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = tryLock(lockFile, data)) {
      EmbeddedStack.Progress progress = new EmbeddedStack.Progress(out);
      EmbeddedStack stack;
      try {
        stack = EmbeddedStack.start(plan, progress);
      } catch (ConfigException e) {
        err.println("hindsight standalone: bad configuration: " + e.getMessage());
        return CONFIG;
      } catch (RuntimeException e) {
        err.println("hindsight standalone: cannot start: " + oneLine(e));
        return START;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "hindsight-standalone-stop"));
      out.printf(
          "%nHindsight is recording cluster '%s' into %s (Kafka %s, registry %s).%n"
              + "Restore with: hindsight restore --data-dir %s --namespace NS --at -15m"
              + " --to-namespace NS-copy%nCtrl-C stops everything.%n",
          plan.watcher().get(WatcherConfig.CLUSTER_NAME),
          data.root(),
          stack.kafka().bootstrapServers(),
          stack.registry().url(),
          data.root());
      Throwable cause = stack.failure().join();
      err.println("hindsight standalone: stopped: " + oneLine(cause));
      stack.close();
      return DIED;
    } catch (IllegalStateException e) {
      err.println("hindsight standalone: " + e.getMessage());
      return CONFIG;
    } catch (IOException e) {
      err.println("hindsight standalone: cannot lock " + data.root() + ": " + e.getMessage());
      return CONFIG;
    }
  }

  private static FileLock tryLock(FileChannel channel, DataDirectory data) throws IOException {
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return lock;
      }
    } catch (OverlappingFileLockException e) {
      // held by this JVM
    }
    throw new IllegalStateException(
        "another hindsight standalone runs on "
            + data.root()
            + ": stop it, or choose another --data-dir");
  }

  /** The two programs' settings; fails on a missing kubeconfig or an unknown --set key. */
  EmbeddedStack.Settings plan(DataDirectory data) {
    Path config = kubeconfigPath();
    Map<String, String> watcher = new LinkedHashMap<>();
    watcher.put(WatcherConfig.KUBECONFIG, config.toString());
    if (context != null) {
      watcher.put(WatcherConfig.CONTEXT, context);
    }
    watcher.put(
        WatcherConfig.CLUSTER_NAME, clusterName != null ? clusterName : defaultClusterName(config));
    if (!namespaces.isEmpty()) {
      watcher.put(WatcherConfig.NAMESPACES_INCLUDE, String.join(",", namespaces));
    }
    if (!excludeNamespaces.isEmpty()) {
      watcher.put(WatcherConfig.NAMESPACES_EXCLUDE, String.join(",", excludeNamespaces));
    }
    if (watcherPort != null) {
      watcher.put(WatcherConfig.HTTP_PORT, String.valueOf(watcherPort));
    }
    Map<String, String> materializer = new LinkedHashMap<>();
    if (materializerPort != null) {
      materializer.put(MaterializerConfig.HTTP_PORT, String.valueOf(materializerPort));
    }
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--set "
                + setting
                + ": write KEY=VALUE, e.g. --set materializer.commit-interval-ms=5000");
      }
      String key = setting.substring(0, eq).trim();
      String value = setting.substring(eq + 1).trim();
      if (WatcherConfig.DEFINITION.names().contains(key) && key.startsWith("watcher.")) {
        watcher.put(key, value);
      } else if (MaterializerConfig.DEFINITION.names().contains(key)
          || key.startsWith("catalog.property.")) {
        materializer.put(key, value);
      } else {
        throw new IllegalArgumentException(
            "--set "
                + key
                + ": not a watcher.*, materializer.* or catalog.* key of docs/configuration.md");
      }
    }
    // both parse now, so a bad value is a one-line usage error before anything starts
    Map<String, String> probeWatcher = new LinkedHashMap<>(watcher);
    new WatcherConfig(probeWatcher);
    Map<String, String> probeMaterializer = new LinkedHashMap<>(data.catalog());
    probeMaterializer.putAll(materializer);
    new MaterializerConfig(probeMaterializer);
    return new EmbeddedStack.Settings(data, watcher, materializer);
  }

  private Path kubeconfigPath() {
    if (kubeconfig != null) {
      if (!Files.isReadable(kubeconfig)) {
        throw new IllegalArgumentException(
            "--kubeconfig " + kubeconfig + ": no such readable file");
      }
      return kubeconfig.toAbsolutePath();
    }
    String env = System.getenv("KUBECONFIG");
    if (env != null && !env.isBlank()) {
      Path first = Path.of(env.split(java.io.File.pathSeparator)[0]);
      if (!Files.isReadable(first)) {
        throw new IllegalArgumentException(
            "KUBECONFIG=" + env + ": no such readable file; set --kubeconfig");
      }
      return first.toAbsolutePath();
    }
    Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
    if (!Files.isReadable(home)) {
      throw new IllegalArgumentException(
          "no kubeconfig: neither --kubeconfig, KUBECONFIG nor "
              + home
              + " (no cluster? try: hindsight demo)");
    }
    return home;
  }

  private String defaultClusterName(Path config) {
    try {
      String content = Files.readString(config);
      Config parsed = Config.fromKubeconfig(context, content, config.toString());
      String name =
          parsed.getCurrentContext() == null ? null : parsed.getCurrentContext().getName();
      if (name == null || name.isBlank()) {
        return "default";
      }
      return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "--kubeconfig "
              + config
              + " cannot be read as a kubeconfig"
              + (context == null ? "" : " with --context " + context)
              + ": "
              + oneLine(e));
    }
  }

  private static void checkPortFree(Integer port, String option) {
    if (port == null || port <= 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("0.0.0.0", port));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          option + " " + port + ": the port is in use; choose another");
    }
  }

  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.replaceAll("\\s*\\n\\s*", "; ");
  }
}
