package io.hindsight.restorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportRendererTest {
  private static final List<ObjectResult> OBJECTS =
      List.of(
          new ObjectResult(
              "Deployment.apps",
              "shop",
              "web",
              "Deployment.apps shop/web",
              Outcome.UPDATED,
              "",
              List.of("~ spec.replicas: 3 → 1")),
          new ObjectResult(
              "ConfigMap",
              "shop",
              "extra",
              "ConfigMap shop/extra",
              Outcome.DELETED,
              "did not exist at T (--prune)",
              List.of()),
          new ObjectResult(
              "Pod",
              "shop",
              "web-1",
              "Pod shop/web-1",
              Outcome.SKIPPED,
              "left to its controller ReplicaSet.apps web",
              List.of()),
          new ObjectResult(
              "CronJob.batch",
              "shop",
              "nightly",
              "CronJob.batch shop/nightly",
              Outcome.FAILED,
              "the target cluster does not serve CronJob.batch",
              List.of()));

  private static RestoreResult result(boolean dryRun) {
    return new RestoreResult(
        "shop",
        "shop",
        "2026-11-23T14:32:00Z",
        dryRun,
        null,
        RestoreResult.statusOf(OBJECTS),
        "",
        OBJECTS,
        Map.of("Secret", List.of("no key")),
        1.2);
  }

  @Test
  void rendersTextForPeople() {
    String text = ReportRenderer.render(result(false), ReportRenderer.Format.TEXT);
    assertThat(text)
        .startsWith("Restore of namespace shop at 2026-11-23T14:32:00Z\n")
        .contains(
            "  Deployment.apps  shop/web      updated\n",
            "      ~ spec.replicas: 3 → 1\n",
            "ConfigMap        shop/extra    deleted: did not exist at T (--prune)",
            "Per kind:\n",
            "  CronJob.batch: 1 failed\n",
            "Warnings:\n  Secret no key\n",
            "Errors:\n  CronJob.batch shop/nightly: the target cluster does not serve CronJob.batch\n")
        .endsWith(
            "Outcome: partially failed (1 updated, 1 deleted, 1 skipped, 1 failed) in 1.2 s\n");
    assertThat(ReportRenderer.render(result(true), ReportRenderer.Format.TEXT))
        .startsWith("Dry run: restore")
        .contains("would update", "would delete")
        .endsWith("; nothing was written\n");
  }

  @Test
  void rendersJsonAndYamlForPrograms() throws Exception {
    var json =
        JsonTrees.JSON.readTree(ReportRenderer.render(result(false), ReportRenderer.Format.JSON));
    assertThat(json.path("status").asText()).isEqualTo("PARTIALLY_FAILED");
    assertThat(json.path("objects").get(0).path("outcome").asText()).isEqualTo("UPDATED");
    assertThat(json.path("counts").path("failed").asInt()).isEqualTo(1);
    assertThat(json.path("errors").path("CronJob.batch").get(0).asText())
        .contains("does not serve");
    var yaml =
        JsonTrees.YAML.readTree(ReportRenderer.render(result(false), ReportRenderer.Format.YAML));
    assertThat(yaml).isEqualTo(json);
  }

  @Test
  void theOverallStatusFollowsTheObjects() {
    ObjectResult created =
        new ObjectResult("ConfigMap", "s", "a", "", Outcome.CREATED, "", List.of());
    ObjectResult skipped = new ObjectResult("Pod", "s", "b", "", Outcome.SKIPPED, "", List.of());
    ObjectResult failed = new ObjectResult("Pod", "s", "c", "", Outcome.FAILED, "x", List.of());
    assertThat(RestoreResult.statusOf(List.of(created, skipped)))
        .isEqualTo(RestoreResult.Status.COMPLETED);
    assertThat(RestoreResult.statusOf(List.of(created, failed)))
        .isEqualTo(RestoreResult.Status.PARTIALLY_FAILED);
    assertThat(RestoreResult.statusOf(List.of(skipped, failed)))
        .isEqualTo(RestoreResult.Status.FAILED);
  }
}
