package io.hindsight.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.common.config.ConfigException;

/**
 * Layers configuration: the definition's defaults, then a properties file, then the environment
 * ({@code HINDSIGHT_} + the key in upper snake case: {@code watcher.cluster-name} is {@code
 * HINDSIGHT_WATCHER_CLUSTER_NAME}), then {@code key=value} overrides (flags). Later wins.
 */
public final class ConfigSources {
  private ConfigSources() {}

  public static Map<String, String> resolve(
      Set<String> knownKeys, Path file, Map<String, String> environment, List<String> overrides) {
    return resolve(knownKeys, Set.of(), file, environment, overrides);
  }

  /**
   * As {@link #resolve(Set, Path, Map, List)}, also accepting any key that starts with one of
   * {@code openPrefixes} (pass-through settings such as {@code catalog.property.s3.endpoint}) from
   * the file and the overrides.
   */
  public static Map<String, String> resolve(
      Set<String> knownKeys,
      Set<String> openPrefixes,
      Path file,
      Map<String, String> environment,
      List<String> overrides) {
    Set<String> known = new HashSet<>(knownKeys);
    Predicate<String> accepted =
        key -> known.contains(key) || openPrefixes.stream().anyMatch(key::startsWith);
    Map<String, String> values = new LinkedHashMap<>();
    if (file != null) {
      values.putAll(readFile(file, accepted, knownKeys));
    }
    for (String key : knownKeys) {
      String value = environment.get(environmentName(key));
      if (value != null) {
        values.put(key, value);
      }
    }
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            "'" + override + "' is not key=value: write e.g. watcher.cluster-name=prod");
      }
      String key = override.substring(0, eq).trim();
      requireKnown(key, accepted, knownKeys, "the command line");
      values.put(key, override.substring(eq + 1).trim());
    }
    return values;
  }

  /**
   * The layers of a program's command line: {@code --config FILE} names the properties file, every
   * other argument is a {@code key=value} override; then as {@link #resolve(Set, Set, Path, Map,
   * List)}.
   *
   * @throws IllegalArgumentException when {@code --config} has no file after it
   */
  public static Map<String, String> fromArguments(
      Set<String> knownKeys,
      Set<String> openPrefixes,
      String[] args,
      Map<String, String> environment) {
    Path file = null;
    List<String> overrides = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--config needs a file");
        }
        file = Path.of(args[++i]);
      } else {
        overrides.add(args[i]);
      }
    }
    return resolve(knownKeys, openPrefixes, file, environment, overrides);
  }

  public static String environmentName(String key) {
    return "HINDSIGHT_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static Map<String, String> readFile(
      Path file, Predicate<String> accepted, Set<String> knownKeys) {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      props.load(in);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : props.stringPropertyNames()) {
      requireKnown(key, accepted, knownKeys, file.toString());
      values.put(key, props.getProperty(key).trim());
    }
    return values;
  }

  private static void requireKnown(
      String key, Predicate<String> accepted, Set<String> knownKeys, String where) {
    if (!accepted.test(key)) {
      throw new ConfigException(
          "unknown configuration key '"
              + key
              + "' in "
              + where
              + "; known keys: "
              + new TreeSet<>(knownKeys));
    }
  }
}
