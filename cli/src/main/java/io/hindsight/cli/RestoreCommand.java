package io.hindsight.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.hindsight.history.HistoryException;
import io.hindsight.history.LabelSelector;
import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.restorer.ExistingPolicy;
import io.hindsight.restorer.ProgressListener;
import io.hindsight.restorer.ReportRenderer;
import io.hindsight.restorer.RestoreException;
import io.hindsight.restorer.RestoreRequest;
import io.hindsight.restorer.RestoreResult;
import io.hindsight.restorer.RestoreTime;
import io.hindsight.restorer.Restorer;
import io.hindsight.restorer.StateSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hindsight restore}: a namespace, or part of it, as it was at TIME. */
@Command(
    name = "restore",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Restore namespace NS (or the objects selected by kind, label or name) exactly as it was at",
      "TIME: into the same namespace, another one (--to-namespace) or another cluster",
      "(--kubeconfig/--context), or as manifests into a folder (--output-dir).",
      "TIME is an RFC 3339 instant (2026-11-23T14:32:00Z) or a time before now (-15m, -2h, -1d)."
    },
    footer = {
      "",
      "Examples:",
      "  # what would come back, with a field-level diff against the live objects; writes nothing",
      "  hindsight restore --namespace shop --at 2026-11-23T14:32:00Z --dry-run",
      "  # a copy of shop as it was 15 minutes ago, next to it",
      "  hindsight restore --namespace shop --at -15m --to-namespace shop-copy",
      "  # shop back in place as it was 2 hours ago: changed objects applied over, new ones pruned",
      "  hindsight restore --namespace shop --at -2h --existing-policy update --prune",
      "  # only the frontend's Deployment and Service, into another cluster",
      "  hindsight restore --namespace shop --at -1d --include-kinds deployments,Service \\",
      "      --name frontend --kubeconfig ~/.kube/staging --context staging",
      "  # manifests for GitOps or a dev cluster, with a registry mirror and a patch file",
      "  hindsight restore --namespace shop --at -1h --output-dir shop-manifests \\",
      "      --registry-map gcr.io=mirror.local/gcr --modifiers modifiers.yaml -o json",
      "",
      "Exit codes:",
      "   0  completed (or, with --dry-run, the plan was computed and every object would succeed)",
      "   1  failed: every object that was tried failed",
      "   2  bad usage: an option is missing or wrong (the message names it)",
      "   3  partially failed: some objects failed, the others were restored",
      "   4  unknown namespace, or unknown cluster: the history never saw it",
      "   5  TIME is in the future, or not yet covered by the history (wait, or give an earlier TIME)",
      "   6  TIME is before the history begins",
      "   7  TIME lies in a watcher gap (history there is not exact; --allow-gaps takes the best known)",
      "   8  the --modifiers file cannot be read or used",
      "   9  the target cluster cannot be reached or used (--kubeconfig, --context)",
      "  10  a kind in --include-kinds/--exclude-kinds is neither served nor in the history",
      "  11  refused: Secrets without their sealing key (--sealing-key-file, --skip-secrets-without-key)",
      "  12  the history cannot be read (catalog or files away)",
      "Nothing is written to the cluster for exit codes 2 and 4 to 12."
    })
final class RestoreCommand implements Callable<Integer> {
  static final int COMPLETED = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int PARTIALLY_FAILED = 3;
  static final int UNKNOWN_NAMESPACE = 4;
  static final int NOT_COVERED = 5;
  static final int BEFORE_HISTORY = 6;
  static final int IN_GAP = 7;
  static final int MODIFIERS = 8;
  static final int UNREACHABLE = 9;
  static final int UNKNOWN_KIND = 10;
  static final int REFUSED = 11;
  static final int HISTORY_UNREADABLE = 12;

  @Spec CommandSpec spec;

  @Option(
      names = {"-n", "--namespace"},
      required = true,
      paramLabel = "NS",
      description = "The namespace to restore, as named at TIME.")
  String namespace;

  @Option(
      names = "--at",
      required = true,
      paramLabel = "TIME",
      description = "The instant to restore: 2026-11-23T14:32:00Z, or -15m, -2h, -1d.")
  String at;

  @Option(
      names = "--to-namespace",
      paramLabel = "NS2",
      description = "Restore into this namespace instead (references to NS are rewritten).")
  String toNamespace;

  @Option(
      names = "--kubeconfig",
      paramLabel = "PATH",
      description = "Kubeconfig of the target cluster (default: $KUBECONFIG or ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "C",
      description = "Context of the kubeconfig to use (default: its current context).")
  String context;

  @Option(
      names = "--include-kinds",
      split = ",",
      paramLabel = "K",
      description = "Only these kinds: Deployment, deployments or deployments.apps.")
  List<String> includeKinds = new ArrayList<>();

  @Option(
      names = "--exclude-kinds",
      split = ",",
      paramLabel = "K",
      description = "Not these kinds.")
  List<String> excludeKinds = new ArrayList<>();

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "LABELS",
      description = "Only objects whose labels match: app=web,tier!=db,env in (a,b).")
  String selector;

  @Option(
      names = "--name",
      split = ",",
      paramLabel = "N",
      description = "Only objects with these names.")
  List<String> names = new ArrayList<>();

  @Option(
      names = "--existing-policy",
      paramLabel = "none|update|replace",
      defaultValue = "none",
      description =
          "Objects that exist in the target: none skips them (default), update server-side applies over them, replace replaces them whole.")
  String existingPolicy;

  @Option(
      names = "--no-force-conflicts",
      description =
          "With update: report fields another field manager owns as conflicts instead of taking them over.")
  boolean noForceConflicts;

  @Option(
      names = "--prune",
      description = "Delete, within the selection, live objects that did not exist at TIME.")
  boolean prune;

  @Option(
      names = "--modifiers",
      paramLabel = "FILE",
      description = "Resource modifiers in Velero's format (version: v1, resourceModifierRules).")
  Path modifiers;

  @Option(
      names = "--dry-run",
      description =
          "Compute the plan and the diff against the live cluster (server-side dry run); write nothing.")
  boolean dryRun;

  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      description = "Write the restored manifests as YAML files into DIR instead of applying them.")
  Path outputDir;

  @Option(
      names = "--output-secrets",
      description = "With --output-dir: write Secrets too, with their values in clear.")
  boolean outputSecrets;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "text|json|yaml",
      defaultValue = "text",
      description = "Report format (default: text).")
  String output;

  @Option(
      names = "--storage-class-map",
      split = ",",
      paramLabel = "OLD=NEW",
      description = "Rename storage classes of claims and volumes.")
  Map<String, String> storageClassMap = new LinkedHashMap<>();

  @Option(
      names = "--registry-map",
      split = ",",
      paramLabel = "OLD=NEW",
      description = "Move images to another registry (prefix match, longest first).")
  Map<String, String> registryMap = new LinkedHashMap<>();

  @Option(
      names = "--include-owned",
      description =
          "Restore objects owned by a restored controller too (Pods of ReplicaSets, ReplicaSets of Deployments, ...).")
  boolean includeOwned;

  @Option(
      names = "--preserve-node-ports",
      description =
          "Keep every Service nodePort (default: only those the last-applied configuration shows).")
  boolean preserveNodePorts;

  @Option(
      names = "--no-cluster-resources",
      description =
          "Leave out the related cluster-scoped objects (Namespace, CRDs, PVs, cluster RBAC).")
  boolean noClusterResources;

  @Option(
      names = "--allow-gaps",
      description = "Restore even when TIME lies in a watcher gap (the best known state).")
  boolean allowGaps;

  @Option(
      names = "--sealing-key-file",
      paramLabel = "FILE",
      description =
          "The watcher's sealing key file, to unseal Secrets (default: ~/.hindsight/sealing.key).")
  Path sealingKeyFile;

  @Option(
      names = "--skip-secrets-without-key",
      description =
          "Without the sealing key, restore everything but the Secrets instead of refusing.")
  boolean skipSecretsWithoutKey;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "8",
      description = "Parallel applies within one priority class (default: 8).")
  int parallelism;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      description = "The cluster of the history, when it holds several (watcher.cluster-name).")
  String cluster;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "The embedded history: DIR/catalog.db and DIR/warehouse (default: ~/.hindsight).")
  Path dataDir;

  @Option(
      names = "--catalog-type",
      paramLabel = "jdbc|rest",
      description = "History catalog kind (" + CatalogConfig.TYPE + ").")
  String catalogType;

  @Option(
      names = "--catalog-uri",
      paramLabel = "URI",
      description = "History catalog URI (" + CatalogConfig.URI + ").")
  String catalogUri;

  @Option(
      names = "--warehouse",
      paramLabel = "URI",
      description = "History warehouse (" + CatalogConfig.WAREHOUSE + ").")
  String warehouse;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A properties file of catalog.* keys; options win over it.")
  Path config;

  private final Function<CatalogConfig, StateSource> sources;
  private final Clock clock;

  RestoreCommand() {
    this(HistoryStateSources::open, Clock.systemUTC());
  }

  RestoreCommand(Function<CatalogConfig, StateSource> sources, Clock clock) {
    this.sources = sources;
    this.clock = clock;
  }

  /** Bad usage of {@code restore} as one line naming the option, exit code 2. */
  static CommandLine oneLineUsageErrors(CommandLine commandLine) {
    CommandLine.IParameterExceptionHandler standard = commandLine.getParameterExceptionHandler();
    return commandLine.setParameterExceptionHandler(
        (e, args) -> {
          if (!"restore".equals(e.getCommandLine().getCommandName())) {
            return standard.handleParseException(e, args);
          }
          e.getCommandLine()
              .getErr()
              .println("hindsight restore: " + e.getMessage() + " (see hindsight restore --help)");
          return USAGE;
        });
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RestoreRequest request;
    ReportRenderer.Format format;
    CatalogConfig catalog;
    try {
      format = ReportRenderer.Format.parse(output);
      request = request(RestoreTime.parse(at, clock));
      catalog = catalog();
    } catch (IllegalArgumentException | ConfigException e) {
      return fail(err, USAGE, e.getMessage());
    }
    KubernetesClient client = null;
    StateSource source = null;
    try {
      if (outputDir == null) {
        client = client();
      }
      if (request.at().isAfter(clock.instant())) {
        throw new RestoreException(
            RestoreException.Problem.TIME_IN_FUTURE,
            "--at " + at + " is in the future: give a past instant or -15m");
      }
      source = sources.apply(catalog);
      ProgressListener progress =
          System.console() != null ? new ProgressBar(System.err) : ProgressListener.NONE;
      RestoreResult result = new Restorer(source, client, clock).restore(request, progress);
      out.print(ReportRenderer.render(result, format));
      out.flush();
      return exitCode(result.status());
    } catch (RestoreException e) {
      return fail(err, exitCode(e.problem()), e.getMessage());
    } catch (HistoryException e) {
      return fail(err, exitCode(e.reason()), e.getMessage());
    } catch (IllegalArgumentException e) {
      return fail(err, USAGE, e.getMessage());
    } finally {
      if (client != null) {
        client.close();
      }
      if (source instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          err.println("hindsight restore: closing the history reader failed: " + e);
        }
      }
    }
  }

  private RestoreRequest request(Instant instant) {
    RestoreRequest.Builder b =
        RestoreRequest.builder(namespace, instant)
            .cluster(cluster)
            .toNamespace(toNamespace)
            .includeKinds(includeKinds)
            .excludeKinds(excludeKinds)
            .labels(selector(selector))
            .names(new HashSet<>(names))
            .existingPolicy(ExistingPolicy.parse(existingPolicy))
            .outputDir(outputDir)
            .modifiersFile(modifiers)
            .storageClassMap(storageClassMap)
            .registryMap(registryMap)
            .sealingKeyFile(sealingKeyFile != null ? sealingKeyFile : home().resolve("sealing.key"))
            .parallelism(parallelism);
    if (noForceConflicts) {
      b.keepConflictingFields();
    }
    if (prune) {
      b.prune();
    }
    if (dryRun) {
      b.dryRun();
    }
    if (outputSecrets) {
      b.writeSecrets();
    }
    if (includeOwned) {
      b.includeOwned();
    }
    if (preserveNodePorts) {
      b.preserveNodePorts();
    }
    if (noClusterResources) {
      b.withoutClusterResources();
    }
    if (allowGaps) {
      b.allowGaps();
    }
    if (skipSecretsWithoutKey) {
      b.skipSecretsWithoutKey();
    }
    if (outputSecrets && outputDir == null) {
      throw new IllegalArgumentException("--output-secrets needs --output-dir");
    }
    if (dryRun && outputDir != null) {
      throw new IllegalArgumentException(
          "--dry-run and --output-dir: --output-dir writes no cluster anyway; drop --dry-run");
    }
    return b.build();
  }

  private static LabelSelector selector(String text) {
    try {
      return LabelSelector.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--selector: " + e.getMessage());
    }
  }

  /** Where the history lives: defaults (the embedded --data-dir), then --config, then options. */
  CatalogConfig catalog() {
    Path data = dataDir != null ? dataDir : home();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put(CatalogConfig.TYPE, "jdbc");
    values.put(CatalogConfig.URI, "jdbc:sqlite:" + data.resolve("catalog.db").toAbsolutePath());
    values.put(CatalogConfig.WAREHOUSE, "file:" + data.resolve("warehouse").toAbsolutePath());
    if (config != null) {
      Properties props = new Properties();
      try (InputStream in = Files.newInputStream(config)) {
        props.load(in);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--config " + config + ": cannot read it (" + e.getMessage() + ")");
      }
      props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
    }
    if (catalogType != null) {
      values.put(CatalogConfig.TYPE, catalogType);
    }
    if (catalogUri != null) {
      values.put(CatalogConfig.URI, catalogUri);
    }
    if (warehouse != null) {
      values.put(CatalogConfig.WAREHOUSE, warehouse);
    }
    if ("rest".equals(values.get(CatalogConfig.TYPE))
        && catalogUri == null
        && (config == null || !values.get(CatalogConfig.URI).toString().startsWith("http"))) {
      throw new IllegalArgumentException(
          "--catalog-type rest needs --catalog-uri http(s)://host:port/path");
    }
    try {
      return new CatalogConfig(CatalogConfig.select(values));
    } catch (ConfigException e) {
      String message = e.getMessage();
      for (var option :
          Map.of(
                  CatalogConfig.TYPE,
                  "--catalog-type",
                  CatalogConfig.URI,
                  "--catalog-uri",
                  CatalogConfig.WAREHOUSE,
                  "--warehouse")
              .entrySet()) {
        if (message.contains(option.getKey())) {
          throw new IllegalArgumentException(
              option.getValue() + " (" + option.getKey() + "): " + message);
        }
      }
      throw new IllegalArgumentException(message);
    }
  }

  private static Path home() {
    return Path.of(System.getProperty("user.home"), ".hindsight");
  }

  private KubernetesClient client() {
    Config c;
    if (kubeconfig != null) {
      String text;
      try {
        text = Files.readString(kubeconfig);
      } catch (IOException e) {
        throw new RestoreException(
            RestoreException.Problem.UNREACHABLE_CLUSTER,
            "--kubeconfig " + kubeconfig + ": cannot read it (" + e.getMessage() + ")");
      }
      try {
        c = Config.fromKubeconfig(context, text, kubeconfig.toString());
      } catch (RuntimeException e) {
        throw new RestoreException(
            RestoreException.Problem.UNREACHABLE_CLUSTER,
            "--kubeconfig "
                + kubeconfig
                + (context == null ? "" : " --context " + context)
                + ": "
                + e.getMessage());
      }
    } else {
      c = Config.autoConfigure(context);
    }
    c.setMaxConcurrentRequests(Math.max(64, parallelism * 2));
    c.setMaxConcurrentRequestsPerHost(Math.max(16, parallelism * 2));
    c.setRequestRetryBackoffLimit(1);
    c.setConnectionTimeout(5_000);
    return new KubernetesClientBuilder().withConfig(c).build();
  }

  static int exitCode(RestoreResult.Status status) {
    return switch (status) {
      case COMPLETED -> COMPLETED;
      case PARTIALLY_FAILED -> PARTIALLY_FAILED;
      case FAILED -> FAILED;
      case REFUSED -> REFUSED;
    };
  }

  static int exitCode(RestoreException.Problem problem) {
    return switch (problem) {
      case BAD_REQUEST -> USAGE;
      case TIME_IN_FUTURE -> NOT_COVERED;
      case MODIFIERS -> MODIFIERS;
      case UNREACHABLE_CLUSTER -> UNREACHABLE;
      case UNKNOWN_KIND -> UNKNOWN_KIND;
    };
  }

  static int exitCode(HistoryException.Reason reason) {
    return switch (reason) {
      case UNKNOWN_NAMESPACE, UNKNOWN_CLUSTER -> UNKNOWN_NAMESPACE;
      case IN_FUTURE, NOT_YET_COVERED -> NOT_COVERED;
      case BEFORE_HISTORY -> BEFORE_HISTORY;
      case IN_GAP -> IN_GAP;
      case UNREADABLE -> HISTORY_UNREADABLE;
    };
  }

  private static int fail(PrintWriter err, int code, String message) {
    err.println(
        "hindsight restore: "
            + (message == null ? "failed" : message.replaceAll("\\s*\\n\\s*", "; ")));
    err.flush();
    return code;
  }
}
