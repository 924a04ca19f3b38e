package io.hindsight.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * The plain Iceberg write path, as any Java program would write rows: {@code
 * GenericFileWriterFactory} + {@code OutputFileFactory} + {@code FanoutDataWriter} (one Parquet
 * file per table partition, rolled at the target size), then one append. The baseline of the
 * streams-app's throughput and the writer of directly built histories.
 */
final class RawIcebergWriter {
  private final Table table;
  private final FanoutDataWriter<Record> writer;
  private final PartitionKey partitionKey;
  private final InternalRecordWrapper wrapper;
  private long rows;

  RawIcebergWriter(Table table, int partitionId, long taskId, long targetFileBytes) {
    this.table = table;
    GenericFileWriterFactory factory =
        new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, partitionId, taskId)
            .format(FileFormat.PARQUET)
            .operationId(UUID.randomUUID().toString())
            .build();
    this.writer = new FanoutDataWriter<>(factory, files, table.io(), targetFileBytes);
    this.partitionKey = new PartitionKey(table.spec(), table.schema());
    this.wrapper = new InternalRecordWrapper(table.schema().asStruct());
  }

  void write(Record row) {
    partitionKey.partition(wrapper.wrap(row));
    writer.write(row, table.spec(), partitionKey);
    rows++;
  }

  long rows() {
    return rows;
  }

  /** Closes the files; they are ready to be appended. */
  List<DataFile> complete() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close data files of " + table.name(), e);
    }
    return writer.result().dataFiles();
  }

  /** One append of {@code files} with {@code summary} in the snapshot summary. */
  static void append(Table table, List<DataFile> files, Map<String, String> summary) {
    AppendFiles append = table.newAppend();
    files.forEach(append::appendFile);
    summary.forEach(append::set);
    append.commit();
  }
}
