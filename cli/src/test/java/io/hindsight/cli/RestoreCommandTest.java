package io.hindsight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hindsight.history.HistoryException;
import io.hindsight.history.HistoryException.Reason;
import io.hindsight.history.ObjectId;
import io.hindsight.history.State;
import io.hindsight.history.StoredObject;
import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.restorer.StateSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hindsight restore}: parsing, exit codes, help — without the Iceberg reader or a cluster.
 */
class RestoreCommandTest {
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-11-23T15:00:00Z"), ZoneOffset.UTC);
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private static Run run(Function<CatalogConfig, StateSource> sources, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli =
        RestoreCommand.oneLineUsageErrors(new CommandLine(new RestoreCommand(sources, NOW)));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Function<CatalogConfig, StateSource> failing(Reason reason) {
    return catalog ->
        query -> {
          throw new HistoryException(reason, "history says " + reason);
        };
  }

  private static Function<CatalogConfig, StateSource> holding(String... json) {
    return catalog ->
        query -> {
          List<StoredObject> objects = new ArrayList<>();
          for (String j : json) {
            var tree = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(j, Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) tree.get("metadata");
            String ns = (String) meta.getOrDefault("namespace", "");
            if (ns.equals(query.namespace().orElseThrow())) {
              String apiVersion = (String) tree.get("apiVersion");
              String group =
                  apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
              boolean secret = tree.get("kind").equals("Secret");
              objects.add(
                  new StoredObject(
                      new ObjectId(
                          "c", group, (String) tree.get("kind"), ns, (String) meta.get("name")),
                      apiVersion,
                      "u",
                      "1",
                      1L,
                      Instant.EPOCH,
                      j,
                      "",
                      Map.of(),
                      secret ? "k-1" : null,
                      0,
                      0));
            }
          }
          return new State("c", query.at(), query.at(), objects, 0, objects.size());
        };
  }

  private static final String CONFIG_MAP =
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\",\"namespace\":\"shop\",\"uid\":\"u1\",\"resourceVersion\":\"7\"},\"data\":{\"k\":\"v\"}}";
  private static final String SECRET =
      "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\",\"namespace\":\"shop\"},\"data\":{\"p\":\"hsealed:v1:k-1:AAAA\"}}";

  @Test
  void helpShowsCopyPasteableExamplesAndEveryExitCode() {
    Run help = run(failing(Reason.UNREADABLE), "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out())
        .contains(
            "hindsight restore --namespace shop --at 2026-11-23T14:32:00Z --dry-run",
            "hindsight restore --namespace shop --at -15m --to-namespace shop-copy",
            "--existing-policy update --prune",
            "--output-dir shop-manifests",
            "--at=TIME",
            "--to-namespace=NS2",
            "--kubeconfig=PATH",
            "--context=C",
            "--include-kinds=K",
            "--exclude-kinds=K",
            "--selector=LABELS",
            "--name=N",
            "--existing-policy=none|update|replace",
            "--prune",
            "--modifiers=FILE",
            "--dry-run",
            "--output-dir=DIR",
            "--output=text|json|yaml",
            "--data-dir=DIR",
            "--catalog-type",
            "--catalog-uri",
            "--warehouse",
            "--config=FILE");
    for (int code = 0; code <= 12; code++) {
      assertThat(help.out()).contains(String.format("%4d  ", code));
    }
    assertThat(run(failing(Reason.UNREADABLE), "--help").out()).isEqualTo(help.out());
  }

  @Test
  void badUsageIsOneLineNamingTheOption() {
    Run missing = run(failing(Reason.UNREADABLE), "--namespace", "shop");
    assertThat(missing.code()).isEqualTo(RestoreCommand.USAGE);
    assertThat(missing.err().lines())
        .singleElement()
        .satisfies(l -> assertThat(l).contains("--at"));

    for (String[] args :
        new String[][] {
          {"--at", "yesterday"},
          {"--at", "-15m", "--existing-policy", "merge"},
          {"--at", "-15m", "-o", "xml"},
          {"--at", "-15m", "--selector", "app=web,"},
          {"--at", "-15m", "--parallelism", "many"},
          {"--at", "-15m", "--catalog-type", "hive"},
          {"--at", "-15m", "--parallelism", "0"}
        }) {
      List<String> all = new ArrayList<>(List.of("--namespace", "shop", "--output-dir", "unused"));
      all.addAll(List.of(args));
      Run r = run(failing(Reason.UNREADABLE), all.toArray(String[]::new));
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(RestoreCommand.USAGE);
      assertThat(r.err().lines())
          .as(String.join(" ", args))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .contains(
                          args[args.length - 2].startsWith("-")
                                  && !args[args.length - 2].equals("--at")
                              ? args[args.length - 2]
                              : args[0]));
    }
    Run badNamespace =
        run(
            failing(Reason.UNREADABLE),
            "--namespace",
            "Shop_1",
            "--at",
            "-1h",
            "--output-dir",
            dir.resolve("o").toString());
    assertThat(badNamespace.code()).isEqualTo(RestoreCommand.USAGE);
    assertThat(badNamespace.err()).contains("--namespace 'Shop_1'");
  }

  @Test
  void historyReasonsHaveTheirOwnExitCodes() {
    Map<Reason, Integer> expected =
        Map.of(
            Reason.UNKNOWN_NAMESPACE,
            4,
            Reason.NOT_YET_COVERED,
            5,
            Reason.BEFORE_HISTORY,
            6,
            Reason.IN_GAP,
            7,
            Reason.UNREADABLE,
            12,
            Reason.UNKNOWN_CLUSTER,
            4);
    expected.forEach(
        (reason, code) -> {
          Run r =
              run(
                  failing(reason),
                  "--namespace",
                  "shop",
                  "--at",
                  "2026-11-23T14:32:00Z",
                  "--output-dir",
                  dir.resolve(reason.name()).toString());
          assertThat(r.code()).as(reason.name()).isEqualTo(code);
          assertThat(r.err()).isEqualTo("hindsight restore: history says " + reason + "\n");
        });
    Run future =
        run(
            failing(Reason.UNREADABLE),
            "--namespace",
            "shop",
            "--at",
            "2026-11-24T00:00:00Z",
            "--output-dir",
            dir.resolve("f").toString());
    assertThat(future.code()).isEqualTo(RestoreCommand.NOT_COVERED);
    assertThat(future.err()).contains("--at 2026-11-24T00:00:00Z is in the future");
  }

  @Test
  void theUnwiredReaderRefusesInsteadOfMakingUpAState() {
    Run r =
        run(
            HistoryStateSources::open,
            "--namespace",
            "shop",
            "--at",
            "-1h",
            "--data-dir",
            dir.toString(),
            "--output-dir",
            dir.resolve("o").toString());
    assertThat(r.code()).isEqualTo(RestoreCommand.HISTORY_UNREADABLE);
    assertThat(r.err()).contains("not wired", "jdbc:sqlite:" + dir.resolve("catalog.db"));
  }

  @Test
  void unreadableModifiersAndUnreachableClustersWriteNothing() throws Exception {
    Run modifiers =
        run(
            holding(CONFIG_MAP),
            "--namespace",
            "shop",
            "--at",
            "-1h",
            "--modifiers",
            dir.resolve("none.yaml").toString(),
            "--output-dir",
            dir.resolve("m").toString());
    assertThat(modifiers.code()).isEqualTo(RestoreCommand.MODIFIERS);
    assertThat(modifiers.err())
        .startsWith("hindsight restore: --modifiers " + dir.resolve("none.yaml") + ": cannot read");
    assertThat(dir.resolve("m")).doesNotExist();

    Path kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            """
        apiVersion: v1
        kind: Config
        clusters: [{name: away, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: away, context: {cluster: away, user: u}}]
        current-context: away
        """);
    Run away =
        run(
            holding(CONFIG_MAP),
            "--namespace",
            "shop",
            "--at",
            "-1h",
            "--kubeconfig",
            kubeconfig.toString());
    assertThat(away.code()).isEqualTo(RestoreCommand.UNREACHABLE);
    assertThat(away.err().lines())
        .singleElement()
        .satisfies(l -> assertThat(l).contains("https://127.0.0.1:1", "--kubeconfig"));
    Run noContext =
        run(
            holding(CONFIG_MAP),
            "--namespace",
            "shop",
            "--at",
            "-1h",
            "--kubeconfig",
            kubeconfig.toString(),
            "--context",
            "nope");
    assertThat(noContext.code()).isEqualTo(RestoreCommand.UNREACHABLE);
    Run noFile =
        run(
            holding(CONFIG_MAP),
            "--namespace",
            "shop",
            "--at",
            "-1h",
            "--kubeconfig",
            dir.resolve("missing").toString());
    assertThat(noFile.code()).isEqualTo(RestoreCommand.UNREACHABLE);
    assertThat(noFile.err())
        .contains("--kubeconfig " + dir.resolve("missing") + ": cannot read it");
  }

  @Test
  void writesManifestsAndReportsInJsonOrRefusesSecretsWithoutTheKey() throws Exception {
    AtomicReference<CatalogConfig> seen = new AtomicReference<>();
    Function<CatalogConfig, StateSource> holding = holding(CONFIG_MAP);
    Path out = dir.resolve("manifests");
    Run ok =
        run(
            c -> {
              seen.set(c);
              return holding.apply(c);
            },
            "--namespace",
            "shop",
            "--at",
            "-15m",
            "--to-namespace",
            "shop-copy",
            "--output-dir",
            out.toString(),
            "-o",
            "json",
            "--catalog-type",
            "rest",
            "--catalog-uri",
            "http://catalog:8181");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("\"status\" : \"COMPLETED\"", "\"outcome\" : \"WRITTEN\"");
    assertThat(Files.readString(out.resolve("001-configmap-shop-copy-settings.yaml")))
        .contains("namespace: shop-copy")
        .doesNotContain("uid", "resourceVersion");
    assertThat(seen.get().type()).isEqualTo("rest");
    assertThat(seen.get().uri()).isEqualTo("http://catalog:8181");

    Run refused =
        run(
            holding(CONFIG_MAP, SECRET),
            "--namespace",
            "shop",
            "--at",
            "-15m",
            "--output-dir",
            dir.resolve("s").toString(),
            "--sealing-key-file",
            dir.resolve("no.key").toString());
    assertThat(refused.code()).isEqualTo(RestoreCommand.REFUSED);
    assertThat(refused.out()).contains("--sealing-key-file", "--skip-secrets-without-key");
    assertThat(dir.resolve("s")).doesNotExist();
    Run skipped =
        run(
            holding(CONFIG_MAP, SECRET),
            "--namespace",
            "shop",
            "--at",
            "-15m",
            "--output-dir",
            dir.resolve("k").toString(),
            "--sealing-key-file",
            dir.resolve("no.key").toString(),
            "--skip-secrets-without-key",
            "-o",
            "yaml");
    assertThat(skipped.code()).isZero();
    assertThat(skipped.out()).contains("status: COMPLETED", "outcome: SKIPPED");
  }

  @Test
  void theDataDirAndConfigFileSayWhereTheHistoryLives() throws Exception {
    RestoreCommand command = new RestoreCommand(failing(Reason.UNREADABLE), NOW);
    new CommandLine(command)
        .parseArgs("--namespace", "shop", "--at", "-1h", "--data-dir", dir.toString());
    assertThat(command.catalog().uri())
        .isEqualTo("jdbc:sqlite:" + dir.resolve("catalog.db").toAbsolutePath());
    assertThat(command.catalog().warehouse())
        .isEqualTo("file:" + dir.resolve("warehouse").toAbsolutePath());
    Path props =
        Files.writeString(
            dir.resolve("h.properties"),
            "catalog.uri=jdbc:postgresql://db/hindsight\ncatalog.warehouse=s3://bucket/wh\n");
    RestoreCommand fromFile = new RestoreCommand(failing(Reason.UNREADABLE), NOW);
    new CommandLine(fromFile)
        .parseArgs(
            "--namespace",
            "shop",
            "--at",
            "-1h",
            "--config",
            props.toString(),
            "--warehouse",
            "file:/override");
    assertThat(fromFile.catalog().uri()).isEqualTo("jdbc:postgresql://db/hindsight");
    assertThat(fromFile.catalog().warehouse()).isEqualTo("file:/override");
  }

  @Test
  void hindsightHasTheRestoreCommand() {
    assertThat(new CommandLine(HindsightMain.class).getSubcommands()).containsKey("restore");
  }

  @Test
  void outcomesMapToExitCodes() {
    assertThat(RestoreCommand.exitCode(io.hindsight.restorer.RestoreResult.Status.COMPLETED))
        .isZero();
    assertThat(RestoreCommand.exitCode(io.hindsight.restorer.RestoreResult.Status.FAILED))
        .isEqualTo(1);
    assertThat(RestoreCommand.exitCode(io.hindsight.restorer.RestoreResult.Status.PARTIALLY_FAILED))
        .isEqualTo(3);
    assertThat(RestoreCommand.exitCode(io.hindsight.restorer.RestoreResult.Status.REFUSED))
        .isEqualTo(11);
    assertThat(RestoreCommand.exitCode(io.hindsight.restorer.RestoreException.Problem.UNKNOWN_KIND))
        .isEqualTo(10);
  }
}
