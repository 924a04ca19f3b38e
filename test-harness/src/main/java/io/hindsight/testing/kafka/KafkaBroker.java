package io.hindsight.testing.kafka;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real Kafka broker for tests: from Testcontainers where a Docker engine runs, from {@code
 * KafkaClusterTestKit} (in this JVM) where none does. Tests see only this interface.
 */
public interface KafkaBroker extends AutoCloseable {

  String bootstrapServers();

  /** A short description for logs, e.g. "KafkaClusterTestKit 4.3.1 (in-process)". */
  String description();

  /** A new admin client for this broker; the caller closes it. */
  default Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return Admin.create(props);
  }

  /** Client properties every test client needs to reach this broker. */
  default Map<String, Object> clientProperties() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  @Override
  void close();
}
