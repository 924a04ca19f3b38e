package io.hindsight.restorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RestoreTimeTest {
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-11-23T15:00:00Z"), ZoneOffset.UTC);

  @Test
  void readsRfc3339Instants() {
    assertThat(RestoreTime.parse("2026-11-23T14:32:00Z", NOW))
        .isEqualTo(Instant.parse("2026-11-23T14:32:00Z"));
    assertThat(RestoreTime.parse("2026-11-23T15:32:00+01:00", NOW))
        .isEqualTo(Instant.parse("2026-11-23T14:32:00Z"));
    assertThat(RestoreTime.parse("2026-11-23T14:32:00.250Z", NOW))
        .isEqualTo(Instant.parse("2026-11-23T14:32:00.250Z"));
  }

  @Test
  void readsDurationsBeforeNow() {
    assertThat(RestoreTime.parse("-15m", NOW)).isEqualTo(Instant.parse("2026-11-23T14:45:00Z"));
    assertThat(RestoreTime.parse("-2h", NOW)).isEqualTo(Instant.parse("2026-11-23T13:00:00Z"));
    assertThat(RestoreTime.parse("-1d", NOW)).isEqualTo(Instant.parse("2026-11-22T15:00:00Z"));
    assertThat(RestoreTime.parse("-1h30m", NOW)).isEqualTo(Instant.parse("2026-11-23T13:30:00Z"));
    assertThat(RestoreTime.parse("-90s", NOW)).isEqualTo(Instant.parse("2026-11-23T14:58:30Z"));
  }

  @Test
  void refusesAnythingElseNamingTheOption() {
    for (String bad : new String[] {"15m", "-", "yesterday", "2026-11-23 14:32", "-5w", ""}) {
      assertThatThrownBy(() -> RestoreTime.parse(bad, NOW))
          .as(bad)
          .hasMessageStartingWith("--at '" + bad + "'");
    }
  }
}
