package io.hindsight.cli.audit;

import static io.hindsight.testhistories.ScriptedHistory.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hindsight.history.tables.Catalogs;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.testhistories.Expected;
import io.hindsight.testhistories.HistoryWriter;
import io.hindsight.testhistories.ScriptedHistory;
import io.hindsight.testhistories.ScriptedHistoryMain;
import io.hindsight.testhistories.Step;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * history, diff and points on the scripted history written into a real SQLite catalog, read through
 * --data-dir as a user would; expected answers come from the script ({@link Expected}) or are
 * written out by hand from it.
 */
class AuditCommandsTest {
  private static final String IMAGE = "gcr.io/google-samples/microservices-demo/frontend:";
  private static final Clock CLOCK = Clock.fixed(at("12:30:00"), ZoneOffset.UTC);
  @TempDir static Path dir;
  private static ScriptedHistory history;
  private static Expected expected;

  record Result(int code, String out, String err) {
    JsonNode json() {
      return Json.parse(out);
    }
  }

  @BeforeAll
  static void writeHistory() throws Exception {
    history = ScriptedHistory.build();
    expected = new Expected(history.steps());
    Catalog catalog = Catalogs.open(ScriptedHistoryMain.catalogConfig(dir.resolve("main")));
    history.writeTo(catalog);
    ((AutoCloseable) catalog).close();
  }

  private static Result run(Object command, String... args) {
    CommandLine cli = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static String[] args(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dir.resolve("main").toString());
    return all.toArray(String[]::new);
  }

  private static Result history(String... args) {
    return run(new HistoryCommand(CLOCK), args(args));
  }

  private static Result diff(String... args) {
    return run(new DiffCommand(CLOCK), args(args));
  }

  private static Result points(String... args) {
    return run(new PointsCommand(CLOCK), args(args));
  }

  @Test
  void historyOfOneObjectNamesTheWriterOfEveryChange() {
    Result r =
        history(
            "--namespace", "boutique", "--kind", "Deployment", "--name", "frontend", "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    List<List<String>> actual = new ArrayList<>();
    for (JsonNode c : r.json().get("changes")) {
      assertThat(c.get("writers")).as("one writer per change").hasSize(1);
      JsonNode w = c.get("writers").get(0);
      actual.add(
          List.of(
              c.get("observedAt").asText(),
              c.get("eventType").asText(),
              w.get("manager").asText(),
              w.get("operation").asText()));
    }
    assertThat(actual).isEqualTo(expected.whoChanged("boutique", "Deployment", "frontend"));

    JsonNode bump = r.json().get("changes").get(3);
    assertThat(bump.get("observedAt").asText()).isEqualTo(at("09:10:00").toString());
    assertThat(bump.get("fields")).hasSize(1);
    JsonNode image = bump.get("fields").get(0);
    assertThat(image.get("path").asText())
        .isEqualTo("spec.template.spec.containers[name=server].image");
    assertThat(image.get("before").asText()).isEqualTo(IMAGE + "v0.7.0");
    assertThat(image.get("after").asText()).isEqualTo(IMAGE + "v0.8.0");
    JsonNode rollout = r.json().get("changes").get(4);
    assertThat(rollout.get("fields"))
        .extracting(f -> f.get("path").asText())
        .contains("status.observedGeneration", "status.replicas", "status.conditions[1].reason");
  }

  @Test
  void historyOfANamespaceInAWindowHasEveryScriptedChangeInIt() {
    Result r =
        history(
            "--namespace",
            "boutique",
            "--since",
            "2026-03-02T10:00:00Z",
            "--until",
            "2026-03-02T11:00:00Z",
            "-o",
            "json");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> actual = new ArrayList<>();
    for (JsonNode c : r.json().get("changes")) {
      actual.add(
          c.get("observedAt").asText()
              + " "
              + c.get("eventType").asText()
              + " "
              + c.get("kind").asText()
              + "/"
              + c.get("name").asText());
    }
    List<String> script = new ArrayList<>();
    for (Step s : expected.byNamespace().get("boutique")) {
      if (!s.at().isBefore(at("10:00:00")) && !s.at().isAfter(at("11:00:00"))) {
        script.add(s.at() + " " + s.eventType() + " " + s.kind() + "/" + s.name());
      }
    }
    assertThat(actual).isEqualTo(script).hasSize(7);
    JsonNode delete = r.json().get("changes").get(0);
    assertThat(delete.get("eventType").asText()).isEqualTo("DELETED");
    assertThat(delete.get("writers")).isEmpty();
  }

  @Test
  void historyAsTextAndYamlAndRelativeTimes() throws Exception {
    Result text =
        history(
            "--namespace",
            "boutique",
            "--name",
            "frontend",
            "--kind",
            "deployment.apps",
            "--since",
            "-3h30m",
            "--until",
            "-3h19m");
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out())
        .isEqualTo(
            "2026-03-02T09:10:00Z  MODIFIED  Deployment frontend  by kubectl-set (Update)\n"
                + "    ~ spec.template.spec.containers[name=server].image: "
                + IMAGE
                + "v0.7.0 -> "
                + IMAGE
                + "v0.8.0\n"
                + "2026-03-02T09:10:30Z  MODIFIED  Deployment frontend  by kube-controller-manager (Update)\n"
                + "    ~ status.observedGeneration: 1 -> 2\n"
                + "    ~ status.replicas: 1 -> 2\n"
                + "    ~ status.conditions[0].lastUpdateTime: 2026-03-02T08:04:15Z -> 2026-03-02T09:10:30Z\n"
                + "    ~ status.conditions[1].reason: NewReplicaSetAvailable -> ReplicaSetUpdated\n"
                + "    ~ status.conditions[1].lastUpdateTime: 2026-03-02T08:04:15Z -> 2026-03-02T09:10:30Z\n"
                + "    + status.unavailableReplicas: 1\n");
    Result yaml = history("--namespace", "mysql", "--kind", "ConfigMap", "-o", "yaml");
    assertThat(yaml.code()).isZero();
    JsonNode tree = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(yaml.out());
    assertThat(tree.get("changes")).hasSize(2);
    assertThat(tree.get("changes").get(1).get("fields").get(0).get("path").asText())
        .isEqualTo("data[\"primary.cnf\"]");
    Result empty = history("--namespace", "boutique", "--since", "2026-03-02T11:50:00Z");
    assertThat(empty.out()).isEqualTo("no changes of namespace 'boutique' in that window\n");
  }

  private static Set<String> names(JsonNode objects) {
    Set<String> out = new TreeSet<>();
    objects.forEach(o -> out.add(o.get("kind").asText() + "/" + o.get("name").asText()));
    return out;
  }

  @Test
  void diffBetweenTwoInstantsMatchesTheScript() {
    Result r =
        diff(
            "--namespace",
            "boutique",
            "--from",
            "2026-03-02T10:00:00Z",
            "--to",
            "2026-03-02T11:00:00Z",
            "-o",
            "json");
    assertThat(r.code()).as(r.err()).isZero();
    Map<String, Step> before = expected.stateAt("boutique", at("10:00:00"));
    Map<String, Step> after = expected.stateAt("boutique", at("11:00:00"));
    Set<String> created = new TreeSet<>();
    Set<String> deleted = new TreeSet<>();
    Set<String> recreated = new TreeSet<>();
    after.forEach(
        (k, s) -> {
          if (!before.containsKey(k)) created.add(s.kind() + "/" + s.name());
        });
    before.forEach(
        (k, s) -> {
          if (!after.containsKey(k)) deleted.add(s.kind() + "/" + s.name());
          else if (!after.get(k).uid().equals(s.uid())) recreated.add(s.kind() + "/" + s.name());
        });
    assertThat(names(r.json().get("created"))).isEqualTo(created).isEmpty();
    assertThat(names(r.json().get("deleted")))
        .isEqualTo(deleted)
        .containsExactly("Deployment/loadgenerator");
    assertThat(names(r.json().get("changed")))
        .isEqualTo(recreated)
        .containsExactly("Deployment/recommendationservice", "Service/recommendationservice");
    for (JsonNode c : r.json().get("changed")) {
      assertThat(c.get("recreated").asBoolean()).isTrue();
      assertThat(c.get("fields")).as("the same manifest applied again").isEmpty();
    }
  }

  @Test
  void diffOfTheMorningShowsTheNetFieldChanges() {
    Result r =
        diff(
            "--namespace",
            "boutique",
            "--from",
            "2026-03-02T09:00:00Z",
            "--to",
            "2026-03-02T12:00:00Z",
            "--kind",
            "Deployment",
            "-o",
            "json");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> fields = new ArrayList<>();
    for (JsonNode c : r.json().get("changed")) {
      for (JsonNode f : c.get("fields")) {
        fields.add(
            c.get("name").asText()
                + " "
                + f.get("path").asText()
                + " "
                + Json.brief(f.get("before"))
                + " -> "
                + Json.brief(f.get("after")));
      }
      if (c.get("recreated").asBoolean()) {
        fields.add(c.get("name").asText() + " re-created");
      }
    }
    // frontend went v0.7.0 -> v0.8.0 -> v0.9.0 -> v0.8.0: the net change is one bump; the
    // manifests set neither cartservice's replicas nor redis-cart's labels: both are added
    assertThat(fields)
        .containsExactly(
            "adservice spec.template.spec.containers[name=server].resources.limits.memory 300Mi -> 512Mi",
            "cartservice spec.replicas (none) -> 3",
            "frontend spec.template.spec.containers[name=server].image "
                + IMAGE
                + "v0.7.0 -> "
                + IMAGE
                + "v0.8.0",
            "recommendationservice re-created",
            "redis-cart metadata.labels (none) -> {\"tier\":\"cache\"}");
    assertThat(names(r.json().get("deleted"))).containsExactly("Deployment/loadgenerator");

    Result withStatus =
        diff(
            "--namespace",
            "mysql",
            "--from",
            "2026-03-02T09:00:00Z",
            "--to",
            "2026-03-02T10:01:30Z",
            "--include-status",
            "-o",
            "json");
    List<String> mysql = new ArrayList<>();
    for (JsonNode c : withStatus.json().get("changed")) {
      for (JsonNode f : c.get("fields")) {
        mysql.add(
            c.get("kind").asText()
                + " "
                + f.get("path").asText()
                + " "
                + Json.brief(f.get("after")));
      }
    }
    assertThat(mysql)
        .contains(
            "StatefulSet spec.replicas 5",
            "StatefulSet status.replicas 5",
            "StatefulSet status.readyReplicas 4")
        .anyMatch(s -> s.startsWith("ConfigMap data[\"primary.cnf\"]"));
    Result text =
        diff(
            "--namespace",
            "boutique",
            "--from",
            "2026-03-02T10:00:00Z",
            "--to",
            "2026-03-02T11:00:00Z");
    assertThat(text.out())
        .startsWith(
            "namespace boutique of cluster demo, 2026-03-02T10:00:00Z -> 2026-03-02T11:00:00Z\n"
                + "created: none\ndeleted: 1\n  Deployment loadgenerator\nchanged: 2\n  Deployment recommendationservice  (re-created: uid ");
  }

  @Test
  void pointsWhereEveryWorkloadWasAvailable() {
    Result r = points("--namespace", "boutique", "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> actual = new ArrayList<>();
    for (JsonNode p : r.json().get("points")) {
      actual.add(
          p.get("from").asText()
              + ".."
              + (p.get("until").isNull() ? "null" : p.get("until").asText()));
    }
    List<String> script = new ArrayList<>();
    for (Instant[] i : expected.availableIntervals("boutique")) {
      script.add(i[0] + ".." + i[1]);
    }
    assertThat(actual).isEqualTo(script).hasSize(7);
    JsonNode first = r.json().get("points").get(0);
    assertThat(first.get("latest").asText()).isEqualTo("2026-03-02T09:09:59.999999Z");
    JsonNode open = r.json().get("points").get(6);
    assertThat(open.get("latest").asText())
        .as("open: through the watermark")
        .isEqualTo(ScriptedHistory.END.toString());
    assertThat(r.json().get("completeThrough").asText()).isEqualTo(ScriptedHistory.END.toString());

    Result window =
        points(
            "--namespace",
            "mysql",
            "--since",
            "2026-03-02T09:00:00Z",
            "--until",
            "2026-03-02T10:01:00Z");
    assertThat(window.out())
        .isEqualTo(
            "2026-03-02T08:34:00Z .. 2026-03-02T10:00:00Z  latest 2026-03-02T09:59:59.999999Z  workloads available: 1;"
                + " ended by StatefulSet mysql: controller has not seen generation 2 yet (observed 1)\n");
  }

  @Test
  void pointsBeforeEachChangeOfAnObject() {
    Result r =
        points(
            "--namespace",
            "boutique",
            "--before-change",
            "Deployment/frontend",
            "--since",
            "2026-03-02T11:00:00Z",
            "-o",
            "json");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> before = new ArrayList<>();
    for (JsonNode p : r.json().get("points")) {
      before.add(p.get("at").asText());
    }
    List<String> script = new ArrayList<>();
    for (Step s : expected.stepsOf("boutique", "Deployment", "frontend")) {
      if (!s.at().isBefore(at("11:00:00"))) {
        script.add(s.at().minus(Duration.ofNanos(1000)).toString());
      }
    }
    assertThat(before).isEqualTo(script).hasSize(6);
    assertThat(r.json().get("points").get(0).get("writers").get(0).asText())
        .isEqualTo("kubectl-set");
  }

  @Test
  void searchByImageLabelAndName() {
    Result r =
        points(
            "--namespace",
            "boutique",
            "--kind",
            "Deployment",
            "--name",
            "frontend",
            "--where",
            "spec.template.spec.containers[0].image=" + IMAGE + "v0.9.0",
            "-o",
            "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("points")).hasSize(1);
    JsonNode p = r.json().get("points").get(0);
    assertThat(p.get("from").asText()).isEqualTo(at("11:10:00").toString());
    assertThat(p.get("until").asText()).isEqualTo(at("11:30:00").toString());
    assertThat(p.get("latest").asText()).isEqualTo("2026-03-02T11:29:59.999999Z");

    Result labelled = points("--namespace", "boutique", "--label", "tier=cache");
    assertThat(labelled.out()).startsWith("Deployment redis-cart  2026-03-02T11:45:00Z .. (still)");
    Result none = points("--namespace", "boutique", "--where", "spec.replicas=7");
    assertThat(none.code()).isZero();
    assertThat(none.out()).isEqualTo("no object of 'boutique' matched spec.replicas=7\n");
  }

  @Test
  void refusalsGetOneLineAndTheirOwnExitCode() throws Exception {
    assertRefused(
        diff(
            "--namespace",
            "boutique",
            "--from",
            "2026-03-02T10:00:00Z",
            "--to",
            "2099-01-01T00:00:00Z"),
        10,
        "in the future");
    assertRefused(
        diff(
            "--namespace",
            "boutique",
            "--from",
            "2026-03-02T10:00:00Z",
            "--to",
            "2026-03-02T13:00:00Z"),
        11,
        "complete through");
    assertRefused(
        diff(
            "--namespace",
            "boutique",
            "--from",
            "2026-03-02T07:00:00Z",
            "--to",
            "2026-03-02T10:00:00Z"),
        12,
        "before the history");
    assertRefused(history("--namespace", "nowhere"), 14, "never appears");
    assertRefused(
        history("--namespace", "boutique", "--cluster", "prod"),
        15,
        "no history of cluster 'prod'");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertRefused(
        run(new PointsCommand(CLOCK), "--namespace", "boutique", "--data-dir", empty.toString()),
        16,
        "does not exist");
    assertThat(Files.exists(empty.resolve("catalog.db"))).as("a read creates nothing").isFalse();
    assertRefused(
        history("--namespace", "boutique", "--since", "yesterday"),
        2,
        "--since: 'yesterday' is not a time");
    assertRefused(points("--namespace", "boutique", "--before-change", "frontend"), 2, "KIND/NAME");
    Result usage = history("--kind", "Deployment");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("Missing required option: '--namespace=NS'");

    // a history with a watcher gap
    Path gapDir = dir.resolve("gap");
    Catalog catalog = Catalogs.open(ScriptedHistoryMain.catalogConfig(gapDir));
    HistoryWriter writer = new HistoryWriter(catalog, "demo", 3, Duration.ofHours(1));
    ChangeEnvelope first = history.envelopes().get(0);
    writer.change(first);
    writer.gap("*", at("08:10:00"), at("08:20:00"), "WATCHER_START downtime");
    writer.heartbeat(at("09:00:00"));
    writer.commit();
    ((AutoCloseable) catalog).close();
    Result inGap =
        run(
            new DiffCommand(CLOCK),
            "--namespace",
            "boutique",
            "--from",
            "2026-03-02T08:05:00Z",
            "--to",
            "2026-03-02T08:15:00Z",
            "--data-dir",
            gapDir.toString());
    assertRefused(inGap, 13, "gap");
    Result allowed =
        run(
            new DiffCommand(CLOCK),
            "--namespace",
            "boutique",
            "--from",
            "2026-03-02T08:05:00Z",
            "--to",
            "2026-03-02T08:15:00Z",
            "--allow-gaps",
            "--data-dir",
            gapDir.toString());
    assertThat(allowed.code()).as(allowed.err()).isZero();
  }

  private static void assertRefused(Result r, int code, String says) {
    assertThat(r.code()).as(r.err()).isEqualTo(code);
    assertThat(r.err()).contains(says);
    assertThat(r.err().strip().lines()).as("one line").hasSize(1);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void everyCommandIsRegisteredWithExamplesAndExitCodes() throws Exception {
    CommandLine main = new CommandLine(io.hindsight.cli.HindsightMain.class);
    for (String name : List.of("history", "diff", "points")) {
      CommandLine sub = main.getSubcommands().get(name);
      assertThat(sub).as(name).isNotNull();
      String help = sub.getUsageMessage();
      assertThat(help)
          .contains(
              "Examples:",
              "hindsight " + name + " --namespace",
              "Exit codes",
              "14 unknown namespace",
              "--data-dir",
              "-o, --output");
    }
  }
}
