package io.hindsight.history.tables;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

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

  /**
   * The {@code timestamptz} bound of field {@code fieldId} in a data file's lower or upper bounds,
   * in microseconds; null when the file has no statistics for it.
   */
  public static Long bound(Map<Integer, ByteBuffer> bounds, int fieldId) {
    if (bounds == null || !bounds.containsKey(fieldId)) {
      return null;
    }
    return Conversions.fromByteBuffer(Types.TimestampType.withZone(), bounds.get(fieldId));
  }
}
