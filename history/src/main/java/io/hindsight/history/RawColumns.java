package io.hindsight.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.parquet.ParquetValueReader;
import org.apache.iceberg.parquet.ParquetValueReaders;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Parquet readers for top-level columns that leave the values as Parquet has them: a string as a
 * {@link Binary} over its page (no copy, no decoding), an int, long or boolean boxed, a timestamp
 * as its microseconds, a map of strings as a {@code Map<Binary, Binary>}. Iceberg's generic reader
 * makes a {@code String} of every string of every row it reads, rows its filter then drops
 * included; a reader that decodes only the values it keeps needs these. Fields not asked for read
 * as null and their pages are not touched. The levels follow Iceberg's own reader builder.
 */
final class RawColumns {
  private RawColumns() {}

  /** A reader of {@code projection}'s rows that reads the {@code read} fields raw. */
  static ParquetValueReader<?> reader(Schema projection, MessageType file, Set<Integer> read) {
    List<ParquetValueReader<?>> readers = new ArrayList<>();
    for (Types.NestedField field : projection.columns()) {
      readers.add(
          read.contains(field.fieldId()) ? field(file, field) : ParquetValueReaders.nulls());
    }
    return ParquetValueReaders.recordReader(readers, projection.asStruct());
  }

  private static ParquetValueReader<?> field(MessageType file, Types.NestedField field) {
    Type column = columnOf(file, field);
    String name = column.getName();
    int fieldD = file.getMaxDefinitionLevel(name) - 1;
    if (column.isPrimitive()) {
      return ParquetValueReaders.option(column, fieldD, leaf(file, name));
    }
    if (field.type().isMapType()) {
      GroupType keyValue = column.asGroupType().getType(0).asGroupType();
      String[] repeated = {name, keyValue.getName()};
      Type key = keyValue.getType(0);
      Type value = keyValue.getType(1);
      String[] keyPath = {name, keyValue.getName(), key.getName()};
      String[] valuePath = {name, keyValue.getName(), value.getName()};
      ParquetValueReader<?> map =
          new ParquetValueReaders.MapReader<>(
              file.getMaxDefinitionLevel(repeated) - 1,
              file.getMaxRepetitionLevel(repeated) - 1,
              ParquetValueReaders.option(
                  key, file.getMaxDefinitionLevel(keyPath) - 1, leaf(file, keyPath)),
              ParquetValueReaders.option(
                  value, file.getMaxDefinitionLevel(valuePath) - 1, leaf(file, valuePath)));
      return ParquetValueReaders.option(column, fieldD, map);
    }
    throw new IllegalArgumentException(
        "raw reading supports primitive and map columns, not " + field.name() + " " + field.type());
  }

  private static ParquetValueReader<?> leaf(MessageType file, String... path) {
    ColumnDescriptor desc = file.getColumnDescription(path);
    return new ParquetValueReaders.UnboxedReader<>(desc);
  }

  private static Type columnOf(MessageType file, Types.NestedField field) {
    for (Type column : file.getFields()) {
      if (column.getId() != null && column.getId().intValue() == field.fieldId()) {
        return column;
      }
    }
    throw new HistoryException(
        HistoryException.Reason.UNREADABLE,
        "a data file has no column "
            + field.name()
            + " (field id "
            + field.fieldId()
            + "): the table is damaged");
  }

  /**
   * {@code row} safe to keep past the page it was read from: a value over bytes the reader reuses
   * (not Parquet's plain or dictionary encodings, which the tables use, but others may) is copied.
   */
  static Record stable(Record row) {
    for (int i = 0; i < row.size(); i++) {
      if (row.get(i) instanceof Binary binary && binary.isBackingBytesReused()) {
        row.set(i, binary.copy());
      }
    }
    return row;
  }

  /** The fields of {@code raw} decoded into the fields of the same names of {@code into}. */
  static void decodeInto(Record raw, Record into) {
    List<Types.NestedField> fields = raw.struct().fields();
    for (int i = 0; i < fields.size(); i++) {
      into.setField(fields.get(i).name(), decoded(raw.get(i), fields.get(i).type()));
    }
  }

  /**
   * A raw value as Iceberg's generic reader gives it: a string decoded, a timestamp as an {@code
   * OffsetDateTime} or {@code LocalDateTime}, a map's keys and values likewise; others as they are.
   */
  static Object decoded(Object raw, org.apache.iceberg.types.Type type) {
    if (raw == null) {
      return null;
    }
    switch (type.typeId()) {
      case STRING:
        return ((Binary) raw).toStringUsingUTF8();
      case TIMESTAMP:
        return ((Types.TimestampType) type).shouldAdjustToUTC()
            ? DateTimeUtil.timestamptzFromMicros((Long) raw)
            : DateTimeUtil.timestampFromMicros((Long) raw);
      case MAP:
        Types.MapType map = type.asMapType();
        Map<Object, Object> out = new LinkedHashMap<>();
        ((Map<?, ?>) raw)
            .forEach((k, v) -> out.put(decoded(k, map.keyType()), decoded(v, map.valueType())));
        return out;
      default:
        return raw;
    }
  }

  /** The UTF-8 string of a raw value, or null. */
  static String text(Object raw) {
    return raw == null ? null : ((Binary) raw).toStringUsingUTF8();
  }
}
