package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The container image runs the watcher with the same JVM options as {@code ./hindsight watch}: the
 * jvmFlags of the Jib configuration in pom.xml are the options of jvm.options, in order.
 */
class JibConfigurationTest {
  private static final Pattern FLAG = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>");

  @Test
  void theImageRunsWithTheOptionsOfJvmOptions() throws Exception {
    List<String> options =
        Files.readAllLines(Path.of("jvm.options")).stream()
            .map(String::trim)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .collect(Collectors.toList());
    Matcher flags = FLAG.matcher(Files.readString(Path.of("pom.xml")));
    List<String> jib = flags.results().map(m -> m.group(1).trim()).collect(Collectors.toList());
    assertThat(options).isNotEmpty();
    assertThat(jib)
        .as("jvmFlags of jib-maven-plugin in watcher/pom.xml; copy them from watcher/jvm.options")
        .isEqualTo(options);
  }
}
