package io.hindsight.restorer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --at TIME}: an RFC 3339 instant ({@code 2026-11-23T14:32:00Z}, {@code
 * 2026-11-23T15:32:00+01:00}, fractions allowed) or a duration before now: {@code -15m}, {@code
 * -2h}, {@code -1d}, {@code -90s}, or combined {@code -1h30m}.
 */
public final class RestoreTime {
  private static final Pattern RELATIVE =
      Pattern.compile("-((\\d+)d)?((\\d+)h)?((\\d+)m)?((\\d+)s)?");

  private RestoreTime() {}

  public static Instant parse(String text, Clock clock) {
    String t = text == null ? "" : text.trim();
    Matcher m = RELATIVE.matcher(t);
    if (t.length() > 1 && m.matches()) {
      Duration back =
          Duration.ofDays(number(m.group(2)))
              .plusHours(number(m.group(4)))
              .plusMinutes(number(m.group(6)))
              .plusSeconds(number(m.group(8)));
      return clock.instant().minus(back);
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--at '"
              + text
              + "': give an RFC 3339 instant like 2026-11-23T14:32:00Z or a time before now like -15m, -2h, -1d");
    }
  }

  private static long number(String group) {
    return group == null ? 0 : Long.parseLong(group);
  }
}
