package io.hindsight.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.AttributeNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What Kafka Streams reports over JMX about the stream threads of one application in this JVM
 * ({@code kafka.streams:type=stream-thread-metrics}): records processed and commits, whose latency
 * includes the streams-app's Iceberg commit (it runs inside the Kafka transaction's commit).
 */
record StreamsThreadMetrics(
    double processTotal, double commitTotal, double commitLatencyAvgMs, double commitLatencyMaxMs) {

  static StreamsThreadMetrics of(String applicationId) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    double process = 0;
    double commits = 0;
    double latencySum = 0;
    double latencyMax = 0;
    int threads = 0;
    try {
      for (ObjectName name : threadBeans(server, applicationId)) {
        Map<String, Double> values = new HashMap<>();
        for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
          values.put(attribute.getName(), number(server.getAttribute(name, attribute.getName())));
        }
        process += values.getOrDefault("process-total", 0.0);
        commits += values.getOrDefault("commit-total", 0.0);
        if (values.containsKey("commit-latency-avg")) {
          latencySum += values.get("commit-latency-avg");
          latencyMax = Math.max(latencyMax, values.getOrDefault("commit-latency-max", 0.0));
          threads++;
        }
      }
    } catch (JMException e) {
      throw new IllegalStateException("cannot read the Kafka Streams metrics: " + e, e);
    }
    return new StreamsThreadMetrics(
        process, commits, threads == 0 ? Double.NaN : latencySum / threads, latencyMax);
  }

  /** The records processed by the stream threads of {@code applicationId}: a cheap read. */
  static double processTotal(String applicationId) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    double process = 0;
    try {
      for (ObjectName name : threadBeans(server, applicationId)) {
        try {
          process += number(server.getAttribute(name, "process-total"));
        } catch (AttributeNotFoundException notYet) {
          // the thread registers its sensors after its MBean
        }
      }
    } catch (JMException e) {
      throw new IllegalStateException("cannot read the Kafka Streams metrics: " + e, e);
    }
    return process;
  }

  /** The stream-thread MBeans of {@code applicationId}'s threads. */
  private static List<ObjectName> threadBeans(MBeanServer server, String applicationId)
      throws JMException {
    List<ObjectName> names = new ArrayList<>();
    for (ObjectName name :
        server.queryNames(new ObjectName("kafka.streams:type=stream-thread-metrics,*"), null)) {
      String thread = name.getKeyProperty("thread-id");
      if (thread != null && thread.startsWith(applicationId + "-")) {
        names.add(name);
      }
    }
    return names;
  }

  private static double number(Object value) {
    return value instanceof Number n && !Double.isNaN(n.doubleValue()) ? n.doubleValue() : 0;
  }
}
