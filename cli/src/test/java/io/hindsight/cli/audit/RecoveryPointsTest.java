package io.hindsight.cli.audit;

import static io.hindsight.testhistories.ScriptedHistory.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.hindsight.history.Change;
import io.hindsight.testhistories.Expected;
import io.hindsight.testhistories.ScriptedHistory;
import io.hindsight.testhistories.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules on the scripted history's own changes (no catalog): availability intervals agree with
 * what the script says of each status update, and searches find what the script did.
 */
class RecoveryPointsTest {
  private static final ScriptedHistory HISTORY = ScriptedHistory.build();
  private static final Expected EXPECTED = new Expected(HISTORY.steps());

  private static List<String> render(List<RecoveryPoints.Interval> intervals) {
    return intervals.stream().map(i -> i.from() + ".." + i.until()).toList();
  }

  private static List<String> renderExpected(List<Instant[]> intervals) {
    List<String> out = new ArrayList<>();
    for (Instant[] i : intervals) {
      out.add(i[0] + ".." + i[1]);
    }
    return out;
  }

  @Test
  void everyWorkloadAvailableWhereTheScriptSaysSo() {
    for (String namespace :
        List.of(ScriptedHistory.BOUTIQUE, ScriptedHistory.MYSQL, ScriptedHistory.KUBE_SYSTEM)) {
      List<RecoveryPoints.Interval> intervals =
          RecoveryPoints.allAvailable(ScriptedChanges.of(HISTORY, namespace));
      assertThat(render(intervals))
          .as(namespace)
          .isEqualTo(renderExpected(EXPECTED.availableIntervals(namespace)));
    }
  }

  @Test
  void boutiqueIntervalsAreTheOnesBetweenRollouts() {
    List<RecoveryPoints.Interval> intervals =
        RecoveryPoints.allAvailable(ScriptedChanges.of(HISTORY, ScriptedHistory.BOUTIQUE));
    // written out by hand from the script's timeline
    assertThat(render(intervals))
        .containsExactly(
            at("08:04:55") + ".." + at("09:10:00"),
            at("09:12:00") + ".." + at("09:20:00"),
            at("09:23:00") + ".." + at("09:40:00"),
            at("09:41:00") + ".." + at("10:15:00"),
            at("10:17:00") + ".." + at("11:10:00"),
            at("11:12:00") + ".." + at("11:30:00"),
            at("11:31:00") + "..null");
    assertThat(intervals.get(0).workloads()).isEqualTo(12);
    assertThat(intervals.get(0).endedBy())
        .startsWith("Deployment frontend: controller has not seen generation 2");
    assertThat(intervals.get(3).workloads())
        .as("recommendationservice deleted at 10:05")
        .isEqualTo(11);
    assertThat(intervals.get(6).workloads()).as("loadgenerator deleted at 10:40").isEqualTo(11);
  }

  @Test
  void searchFindsWhenFrontendRanAnImage() {
    List<Change> changes = ScriptedChanges.of(HISTORY, ScriptedHistory.BOUTIQUE);
    ObjectPredicate v080 =
        ObjectPredicate.of(
            "Deployment",
            "frontend",
            null,
            List.of(
                "spec.template.spec.containers[name=server].image="
                    + "gcr.io/google-samples/microservices-demo/frontend:v0.8.0"));
    assertThat(RecoveryPoints.matching(changes, v080))
        .extracting(m -> m.from() + ".." + m.until())
        .containsExactly(at("09:10:00") + ".." + at("11:10:00"), at("11:30:00") + "..null");

    // Online Boutique v0.7.0 labels only its pod templates
    ObjectPredicate scaled =
        ObjectPredicate.of(
            "Deployment",
            null,
            null,
            List.of("spec.template.metadata.labels.app=cartservice", "spec.replicas=3"));
    assertThat(RecoveryPoints.matching(changes, scaled))
        .extracting(m -> m.id().name() + " " + m.from() + ".." + m.until())
        .containsExactly("cartservice " + at("09:20:00") + "..null");

    ObjectPredicate recommendation =
        ObjectPredicate.of("Deployment", "recommendationservice", null, List.of());
    List<RecoveryPoints.Match> lives = RecoveryPoints.matching(changes, recommendation);
    assertThat(lives)
        .extracting(m -> m.from() + ".." + m.until())
        .as("two incarnations, split by the delete")
        .containsExactly(at("08:00:20") + ".." + at("10:05:00"), at("10:15:00") + "..null");
    assertThat(lives.get(0).uid()).isNotEqualTo(lives.get(1).uid());
  }

  @Test
  void theLastInstantBeforeAChangeIsOneMicrosecondEarlier() {
    List<Change> changes = ScriptedChanges.of(HISTORY, ScriptedHistory.BOUTIQUE);
    Step bump = EXPECTED.stepsOf(ScriptedHistory.BOUTIQUE, "Deployment", "frontend").get(3);
    assertThat(bump.at()).isEqualTo(at("09:10:00"));
    Change change =
        changes.stream()
            .filter(c -> c.object().observedAt().equals(bump.at()))
            .findFirst()
            .orElseThrow();
    assertThat(RecoveryPoints.before(change)).isEqualTo("2026-03-02T09:09:59.999999Z");
  }
}
