package io.hindsight.history.tables;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Microseconds since the epoch, Iceberg's and Avro's timestamp unit, and back. */
public final class Micros {
  private Micros() {}

  public static long of(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  public static Instant toInstant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  /** The value Iceberg's generic records take for a {@code timestamptz} column. */
  public static OffsetDateTime timestamptz(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
