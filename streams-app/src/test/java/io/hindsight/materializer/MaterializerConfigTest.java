package io.hindsight.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hindsight.history.tables.CatalogConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class MaterializerConfigTest {
  private static Map<String, String> minimal() {
    Map<String, String> values = new HashMap<>();
    values.put(CatalogConfig.URI, "jdbc:sqlite:/tmp/x/catalog.db");
    values.put(CatalogConfig.WAREHOUSE, "file:/tmp/x/warehouse");
    return values;
  }

  @Test
  void defaultsGiveValidKafkaStreamsProperties() {
    MaterializerConfig config = new MaterializerConfig(minimal());
    StreamsConfig streams = new StreamsConfig(Materializer.streamsProperties(config));
    assertThat(streams.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(streams.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(10_000L);
    assertThat(config.checkpointInterval().toHours()).isEqualTo(1);
  }

  @Test
  void streamThreadsFollowTheProcessorsUnlessConfigured() {
    assertThat(MaterializerConfig.autoThreads(1)).isEqualTo(1);
    assertThat(MaterializerConfig.autoThreads(2)).isEqualTo(2);
    assertThat(MaterializerConfig.autoThreads(96)).isEqualTo(MaterializerConfig.MAX_AUTO_THREADS);
    MaterializerConfig byDefault = new MaterializerConfig(minimal());
    assertThat(
            new StreamsConfig(Materializer.streamsProperties(byDefault))
                .getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG))
        .isEqualTo(MaterializerConfig.autoThreads(Runtime.getRuntime().availableProcessors()));
    Map<String, String> one = minimal();
    one.put(MaterializerConfig.THREADS, "1");
    assertThat(new MaterializerConfig(one).threads()).isEqualTo(1);
  }

  @Test
  void aMissingCatalogIsRefusedWithTheKeyAndAnExample() {
    assertThatThrownBy(() -> new MaterializerConfig(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("catalog.uri")
        .hasMessageContaining("jdbc:sqlite:");
  }

  @Test
  void aCheckpointIntervalShorterThanTheCommitIntervalIsRefused() {
    Map<String, String> values = minimal();
    values.put(MaterializerConfig.CHECKPOINT_INTERVAL_MS, "5000");
    assertThatThrownBy(() -> new MaterializerConfig(values))
        .hasMessageContaining(MaterializerConfig.CHECKPOINT_INTERVAL_MS)
        .hasMessageContaining(MaterializerConfig.COMMIT_INTERVAL_MS);
  }

  @Test
  void badConfigurationExitsTwoWithAOneLineReason() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        MaterializerMain.run(
            new String[] {"materializer.commit-interval-ms=soon"},
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(MaterializerMain.EXIT_CONFIG);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("materializer.commit-interval-ms")
        .hasLineCount(1);
  }

  @Test
  void anUnreachableBrokerExitsThreeNamingTheSetting() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> values = minimal();
    values.put(MaterializerConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1");
    String[] args =
        values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    int code = MaterializerMain.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(MaterializerMain.EXIT_START);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("kafka.bootstrap-servers");
  }

  @Test
  void catalogPassThroughKeysAreAccepted() {
    Map<String, String> values = minimal();
    values.put("catalog.property.io-impl", "org.apache.iceberg.hadoop.HadoopFileIO");
    String[] args =
        values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    MaterializerConfig config = MaterializerMain.parse(args);
    assertThat(config.catalog().passThrough())
        .containsEntry("io-impl", "org.apache.iceberg.hadoop.HadoopFileIO");
  }
}
