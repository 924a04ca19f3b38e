package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hindsight.schemas.config.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatcherConfigTest {
  @TempDir Path dir;

  @Test
  void laterSourcesWin() throws Exception {
    Path file = dir.resolve("watcher.properties");
    Files.writeString(
        file, "watcher.cluster-name=from-file\nkafka.topic-partitions=6\nwatcher.context=file\n");
    Map<String, String> env =
        Map.of("HINDSIGHT_WATCHER_CLUSTER_NAME", "from-env", "HINDSIGHT_WATCHER_CONTEXT", "env");
    Map<String, String> values =
        ConfigSources.resolve(
            WatcherConfig.DEFINITION.names(), file, env, List.of("watcher.context=flag"));
    WatcherConfig config = new WatcherConfig(values);
    assertThat(config.topicPartitions()).isEqualTo(6);
    assertThat(config.clusterName()).isEqualTo("from-env");
    assertThat(config.context()).isEqualTo("flag");
    assertThat(config.heartbeatInterval().toMillis()).isEqualTo(1000);
  }

  @Test
  void environmentNamesAreUpperSnakeCase() {
    assertThat(ConfigSources.environmentName("watcher.resync-interval-ms"))
        .isEqualTo("HINDSIGHT_WATCHER_RESYNC_INTERVAL_MS");
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> new WatcherConfig(Map.of(WatcherConfig.TOPIC_PARTITIONS, "zero")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.topic-partitions");
    assertThatThrownBy(() -> new WatcherConfig(Map.of(WatcherConfig.ON_BAD_OBJECT, "ignore")))
        .hasMessageContaining("watcher.on-bad-object");
    assertThatThrownBy(() -> new WatcherConfig(Map.of(WatcherConfig.KINDS_INCLUDE, "events")))
        .hasMessageContaining("is also in watcher.kinds.exclude");
    assertThatThrownBy(
            () ->
                ConfigSources.resolve(
                    WatcherConfig.DEFINITION.names(),
                    null,
                    Map.of(),
                    List.of("watcher.clustername=x")))
        .hasMessageContaining("unknown configuration key 'watcher.clustername'");
    assertThatThrownBy(
            () ->
                ConfigSources.resolve(
                    WatcherConfig.DEFINITION.names(), null, Map.of(), List.of("oops")))
        .hasMessageContaining("is not key=value");
  }

  @Test
  void mainExitsWithTheConfigurationCodeOnBadInput() {
    var err = new java.io.ByteArrayOutputStream();
    var out = new java.io.PrintStream(err, true);
    assertThat(WatcherMain.run(new String[] {"kafka.topic-partitions=-3"}, out))
        .isEqualTo(WatcherMain.EXIT_CONFIG);
    assertThat(
            WatcherMain.run(
                new String[] {"--config", dir.resolve("missing.properties").toString()}, out))
        .isEqualTo(WatcherMain.EXIT_CONFIG);
    assertThat(err.toString()).contains("kafka.topic-partitions").contains("missing.properties");
  }

  @Test
  void anUnreadableKubeconfigStopsTheStartWithItsName() {
    var err = new java.io.ByteArrayOutputStream();
    int code =
        WatcherMain.run(
            new String[] {
              "watcher.kubeconfig=" + dir.resolve("nope"),
              "watcher.sealing-key-file=" + dir.resolve("key"),
              "schema.registry.url=http://127.0.0.1:1"
            },
            new java.io.PrintStream(err, true));
    assertThat(code).isEqualTo(WatcherMain.EXIT_START);
    assertThat(err.toString()).contains("watcher.kubeconfig=").contains("no readable file");
  }

  @Test
  void anUnreachableBrokerIsNamedWithItsSetting() throws Exception {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    WatcherConfig config =
        new WatcherConfig(
            ConfigSources.resolve(
                WatcherConfig.DEFINITION.names(),
                null,
                Map.of(),
                List.of("kafka.bootstrap-servers=127.0.0.1:" + closedPort)));
    assertThatThrownBy(() -> new KafkaSetup(config, java.time.Duration.ofSeconds(2)).ensureTopics())
        .hasMessageContaining("cannot reach Kafka at 127.0.0.1:" + closedPort)
        .hasMessageContaining("check kafka.bootstrap-servers");
  }
}
