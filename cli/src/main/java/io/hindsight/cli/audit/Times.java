package io.hindsight.cli.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Instants as the commands take them: RFC 3339 ({@code 2026-03-02T10:00:00Z}, {@code
 * 2026-03-02T11:00:00.5+01:00}; a space instead of {@code T} is allowed, as RFC 3339 permits),
 * {@code now}, or relative to now: a minus sign and one or more amounts with units {@code s},
 * {@code m}, {@code h}, {@code d}, {@code w} ({@code -15m}, {@code -2h}, {@code -1d}, {@code
 * -1h30m}).
 */
public final class Times {
  private static final Pattern RELATIVE = Pattern.compile("-((?:\\d+[smhdw])+)");
  private static final Pattern PART = Pattern.compile("(\\d+)([smhdw])");

  private Times() {}

  /**
   * @throws IllegalArgumentException saying which forms are accepted
   */
  public static Instant parse(String text, Clock clock) {
    String value = text == null ? "" : text.trim();
    if (value.equalsIgnoreCase("now")) {
      return clock.instant();
    }
    Matcher relative = RELATIVE.matcher(value.toLowerCase(Locale.ROOT));
    if (relative.matches()) {
      Duration ago = Duration.ZERO;
      Matcher part = PART.matcher(relative.group(1));
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        ago =
            ago.plus(
                switch (part.group(2)) {
                  case "s" -> Duration.ofSeconds(amount);
                  case "m" -> Duration.ofMinutes(amount);
                  case "h" -> Duration.ofHours(amount);
                  case "d" -> Duration.ofDays(amount);
                  default -> Duration.ofDays(7 * amount);
                });
      }
      return clock.instant().minus(ago);
    }
    String normalized = value.replace(' ', 'T').replace('t', 'T').replace('z', 'Z');
    try {
      return OffsetDateTime.parse(normalized).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a time: use RFC 3339 (2026-03-02T10:00:00Z, 2026-03-02T11:00:00+01:00),"
              + " now, or a time relative to now (-15m, -2h, -1d, -1h30m)");
    }
  }
}
