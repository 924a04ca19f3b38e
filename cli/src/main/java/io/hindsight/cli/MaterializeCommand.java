package io.hindsight.cli;

import io.hindsight.materializer.MaterializerMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs the streams-app alone, against an existing Kafka, registry and Iceberg catalog. */
@Command(
    name = "materialize",
    description =
        "Write the recorded changes into the Iceberg history tables (runs until stopped).",
    footer = {
      "",
      "Configuration keys (also HINDSIGHT_<KEY> environment variables, or a --config file):",
      "  kafka.bootstrap-servers, schema.registry.url, catalog.type (jdbc|rest), catalog.uri,",
      "  catalog.warehouse, catalog.jdbc.user|password, catalog.property.<any catalog property>,",
      "  materializer.commit-interval-ms, materializer.checkpoint-interval-ms,",
      "  materializer.instance-id, materializer.threads, materializer.state-dir,",
      "  materializer.http-port, materializer.on-bad-record (skip|fail); see docs/configuration.md",
      "",
      "Examples:",
      "  hindsight materialize kafka.bootstrap-servers=kafka:9092 \\",
      "      schema.registry.url=http://registry:8081 \\",
      "      catalog.uri=jdbc:postgresql://db/hindsight catalog.jdbc.user=hindsight \\",
      "      catalog.warehouse=s3://bucket/hindsight \\",
      "      catalog.property.io-impl=org.apache.iceberg.aws.s3.S3FileIO",
      "  hindsight materialize --config materializer.properties catalog.type=rest \\",
      "      catalog.uri=https://catalog.example:8181",
      "",
      "Exit codes: 2 bad configuration, 3 could not start (Kafka or the catalog unreachable),",
      "4 a part died while running; 143/130 stopped by SIGTERM/SIGINT."
    })
final class MaterializeCommand implements Callable<Integer> {
  @Option(names = "--config", description = "A properties file of configuration keys.")
  String config;

  @Parameters(paramLabel = "KEY=VALUE", description = "Configuration overrides.")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>();
    if (config != null) {
      args.add("--config");
      args.add(config);
    }
    args.addAll(overrides);
    return MaterializerMain.run(args.toArray(String[]::new), System.err);
  }
}
