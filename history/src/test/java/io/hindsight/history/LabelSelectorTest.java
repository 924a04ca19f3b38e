package io.hindsight.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
  @Test
  void anAbsentLabelEqualsNothingAndDiffersFromEverything() {
    Map<String, String> none = Map.of();
    Map<String, String> web = Map.of("app", "web");
    assertThat(LabelSelector.parse("app=web").matches(none)).isFalse();
    assertThat(LabelSelector.parse("app==web").matches(web)).isTrue();
    assertThat(LabelSelector.parse("app!=web").matches(none)).isTrue();
    assertThat(LabelSelector.parse("app!=web").matches(web)).isFalse();
    assertThat(LabelSelector.parse("app in (web,db)").matches(none)).isFalse();
    assertThat(LabelSelector.parse("app notin (web,db)").matches(none)).isTrue();
    assertThat(LabelSelector.parse("app,!tier").matches(web)).isTrue();
  }
}
