package io.hindsight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigurationReferenceTest {
  @Test
  void docsConfigurationMdIsWhatTheCodeDefines() throws Exception {
    Path root = Path.of(System.getProperty("hindsight.project.root", ".."));
    Path page = root.resolve("docs/configuration.md");
    assertThat(page).exists();
    assertThat(Files.readString(page, StandardCharsets.UTF_8))
        .as(
            "docs/configuration.md is stale: regenerate it with the command at its top"
                + " (ConfigurationReference)")
        .isEqualTo(ConfigurationReference.render());
  }
}
