package io.hindsight.watcher;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/** The watcher's Prometheus metrics, in a registry of its own. */
final class WatcherMetrics {
  final PrometheusRegistry registry = new PrometheusRegistry();
  final Counter published =
      Counter.builder()
          .name("hindsight_watcher_changes_published")
          .help("Changes published to Kafka, by kind and event type")
          .labelNames("kind", "event")
          .register(registry);
  final Counter unchanged =
      Counter.builder()
          .name("hindsight_watcher_unchanged_skipped")
          .help("Observations that changed nothing already published (resyncs, restarts)")
          .register(registry);
  final Counter badObjects =
      Counter.builder()
          .name("hindsight_watcher_bad_objects")
          .help("Objects that could not be published, by kind and reason")
          .labelNames("kind", "reason")
          .register(registry);
  final Counter gaps =
      Counter.builder()
          .name("hindsight_watcher_gaps")
          .help("Gaps recorded (intervals not watched), by reason")
          .labelNames("reason")
          .register(registry);
  final Counter errors =
      Counter.builder()
          .name("hindsight_watcher_publish_errors")
          .help("Kafka transactions that failed and were retried")
          .register(registry);
  final Counter transactions =
      Counter.builder()
          .name("hindsight_watcher_transactions")
          .help("Kafka transactions committed")
          .register(registry);

  void gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }
}
