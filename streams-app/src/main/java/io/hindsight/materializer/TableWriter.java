package io.hindsight.materializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * The data files of one table for one commit round: rows go into Parquet files, one per table
 * partition (rolled at the target size), until {@link #complete()} closes them for the commit or
 * {@link #abort()} deletes them.
 */
final class TableWriter {
  private final Table table;
  private final FanoutDataWriter<Record> writer;
  private final PartitionKey partitionKey;
  private final InternalRecordWrapper wrapper;
  private long rows;

  TableWriter(Table table, int writerNumber, long round, long targetFileBytes) {
    this.table = table;
    GenericFileWriterFactory factory =
        new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, writerNumber, round)
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

  /** Closes the files; they are ready to be committed. */
  List<DataFile> complete() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close data files of " + table.name(), e);
    }
    DataWriteResult result = writer.result();
    return result.dataFiles();
  }

  /** Closes and deletes the files (the round is rolled back). */
  void abort() {
    try {
      writer.close();
      for (DataFile file : writer.result().dataFiles()) {
        table.io().deleteFile(file.location());
      }
    } catch (IOException | RuntimeException e) {
      // orphan files are harmless (never committed) and removed by maintenance
    }
  }
}
