package io.hindsight.cli;

import io.hindsight.materializer.MaterializerConfig;
import io.hindsight.schemas.config.ConfigSources;
import io.hindsight.watcher.WatcherConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * Renders {@code docs/configuration.md} from the programs' configuration definitions, so the
 * reference cannot drift from the code ({@code ConfigurationReferenceTest} fails when the file is
 * stale). Run {@code main} with the file's path to rewrite it.
 */
public final class ConfigurationReference {
  /** The programs and their definitions, in the order of the page. */
  static final Map<String, ConfigDef> PROGRAMS =
      new java.util.LinkedHashMap<>(
          Map.of(
              "watcher (hindsight watch)", WatcherConfig.DEFINITION,
              "streams-app (hindsight materialize)", MaterializerConfig.DEFINITION));

  private ConfigurationReference() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(), StandardCharsets.UTF_8);
    System.out.println("wrote " + file);
  }

  static String render() {
    StringBuilder out = new StringBuilder();
    out.append("# Configuration reference\n\n")
        .append(
            "Generated from the code by `ConfigurationReference` (cli module); a test fails when")
        .append(
            " this page is stale.\nRegenerate: `./mvnw -B -q -pl cli -am package -DskipTests &&")
        .append(" java -cp \"cli/target/classes:$(cat cli/target/classpath.txt)\"")
        .append(" io.hindsight.cli.ConfigurationReference docs/configuration.md`.\n\n")
        .append("Every program layers its configuration: defaults, then a properties file")
        .append(" (`--config FILE`), then the environment (`HINDSIGHT_` + the key in upper snake")
        .append(" case, e.g. `kafka.bootstrap-servers` is `")
        .append(ConfigSources.environmentName("kafka.bootstrap-servers"))
        .append("`), then `key=value` arguments; later wins. Unknown keys are refused.")
        .append(" `catalog.property.<name>=<value>` passes any property to the Iceberg catalog.\n");
    for (Map.Entry<String, ConfigDef> program : PROGRAMS.entrySet()) {
      out.append("\n## ").append(program.getKey()).append("\n\n");
      out.append("| key | type | default | valid values | meaning |\n");
      out.append("|---|---|---|---|---|\n");
      Map<String, ConfigDef.ConfigKey> keys = new TreeMap<>(program.getValue().configKeys());
      for (ConfigDef.ConfigKey key : keys.values()) {
        out.append("| `")
            .append(key.name)
            .append("` | ")
            .append(key.type.name().toLowerCase(java.util.Locale.ROOT))
            .append(" | ")
            .append(defaultOf(key))
            .append(" | ")
            .append(key.validator == null ? "" : cell(key.validator.toString()))
            .append(" | ")
            .append(cell(key.documentation))
            .append(" |\n");
      }
    }
    return out.toString();
  }

  private static String defaultOf(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) {
      return "(required)";
    }
    Object value = key.defaultValue;
    if (value instanceof Password) {
      return "(hidden)";
    }
    if (value instanceof List<?> list) {
      value = String.join(",", list.stream().map(String::valueOf).toList());
    }
    String text = String.valueOf(value);
    String home = System.getProperty("user.home");
    if (home != null && !home.isEmpty()) {
      text = text.replace(home, "~");
    }
    return text.isEmpty() ? "\"\"" : "`" + cell(text) + "`";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
