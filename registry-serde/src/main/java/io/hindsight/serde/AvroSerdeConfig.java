package io.hindsight.serde;

import java.util.Map;

/** The configuration keys the serializer and deserializer read from Kafka client properties. */
public final class AvroSerdeConfig {
  /** Base URL of the Confluent-compatible registry API. */
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /** Register the writer's schema when it is new (default true); otherwise only look it up. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  private AvroSerdeConfig() {}

  static String registryUrl(Map<String, ?> configs) {
    Object url = configs.get(SCHEMA_REGISTRY_URL);
    if (url == null) {
      throw new IllegalArgumentException(
          SCHEMA_REGISTRY_URL
              + " is missing from the Kafka client properties: set it to the registry's base URL");
    }
    return url.toString();
  }

  static boolean autoRegister(Map<String, ?> configs) {
    Object value = configs.get(AUTO_REGISTER_SCHEMAS);
    return value == null || Boolean.parseBoolean(value.toString());
  }

  /** Subject of a topic's keys or values under the default TopicNameStrategy. */
  static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }
}
