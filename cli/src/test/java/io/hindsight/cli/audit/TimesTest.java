package io.hindsight.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimesTest {
  private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void rfc3339WithZoneOffsetFractionAndSpace() {
    assertThat(Times.parse("2026-03-02T10:00:00Z", CLOCK)).isEqualTo("2026-03-02T10:00:00Z");
    assertThat(Times.parse("2026-03-02T11:00:00.250+01:00", CLOCK))
        .isEqualTo("2026-03-02T10:00:00.250Z");
    assertThat(Times.parse("2026-03-02 10:00:00z", CLOCK)).isEqualTo("2026-03-02T10:00:00Z");
    assertThat(Times.parse("2026-03-01T22:00:00-12:00", CLOCK)).isEqualTo("2026-03-02T10:00:00Z");
  }

  @Test
  void relativeToNow() {
    assertThat(Times.parse("-15m", CLOCK)).isEqualTo("2026-03-02T11:45:00Z");
    assertThat(Times.parse("-2h", CLOCK)).isEqualTo("2026-03-02T10:00:00Z");
    assertThat(Times.parse("-1d", CLOCK)).isEqualTo("2026-03-01T12:00:00Z");
    assertThat(Times.parse("-1h30m", CLOCK)).isEqualTo("2026-03-02T10:30:00Z");
    assertThat(Times.parse("-90s", CLOCK)).isEqualTo("2026-03-02T11:58:30Z");
    assertThat(Times.parse("-1w", CLOCK)).isEqualTo("2026-02-23T12:00:00Z");
    assertThat(Times.parse("now", CLOCK)).isEqualTo(NOW);
  }

  @Test
  void anythingElseIsRefusedWithTheFormsThatWork() {
    for (String bad : new String[] {"", "yesterday", "15m", "-15", "-15x", "2026-03-02", "10:00"}) {
      assertThatThrownBy(() -> Times.parse(bad, CLOCK))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("RFC 3339")
          .hasMessageContaining("-15m");
    }
  }
}
