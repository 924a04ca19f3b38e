package io.hindsight.materializer;

import io.hindsight.materializer.RowSink.TableKind;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/** The streams-app's Prometheus metrics, in a registry of its own. */
final class MaterializerMetrics {
  final PrometheusRegistry registry = new PrometheusRegistry();
  final Counter records =
      Counter.builder()
          .name("hindsight_materializer_records")
          .help("Records read from hindsight.changes, by type and what was done with them")
          .labelNames("type", "outcome")
          .register(registry);
  final Counter rows =
      Counter.builder()
          .name("hindsight_materializer_rows_committed")
          .help("Rows committed to the Iceberg tables, by table")
          .labelNames("table")
          .register(registry);
  final Counter commits =
      Counter.builder()
          .name("hindsight_materializer_commits")
          .help("Iceberg commits, by table")
          .labelNames("table")
          .register(registry);
  final Counter conflicts =
      Counter.builder()
          .name("hindsight_materializer_commit_conflicts")
          .help("Iceberg commits retried because another writer committed first")
          .register(registry);
  final Counter fenced =
      Counter.builder()
          .name("hindsight_materializer_fenced")
          .help("Commits refused because another writer took a partition over")
          .register(registry);
  final Counter checkpoints =
      Counter.builder()
          .name("hindsight_materializer_checkpoints")
          .help("Namespace checkpoints written")
          .register(registry);
  final Counter badRecords =
      Counter.builder()
          .name("hindsight_materializer_bad_records")
          .help("Records that could not be read, by reason")
          .labelNames("reason")
          .register(registry);
  final Histogram commitSeconds =
      Histogram.builder()
          .name("hindsight_materializer_commit_seconds")
          .help("Duration of one Iceberg commit (refresh, fence check, append), by table")
          .labelNames("table")
          .register(registry);

  void committed(TableKind table, long rowCount, int files, long startedNanos) {
    String name = table.name().toLowerCase(Locale.ROOT);
    rows.labelValues(name).inc(rowCount);
    commits.labelValues(name).inc();
    commitSeconds.labelValues(name).observe((System.nanoTime() - startedNanos) / 1e9);
  }

  void gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }
}
