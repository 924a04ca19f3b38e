package io.hindsight.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ConfigMaps shaped like the ones real clusters hold (and like {@code /work/shared/testdata}:
 * {@code mysql-configmap.yaml}'s config files under {@code data}, {@code app.kubernetes.io/*}
 * labels), with sizes drawn from a mix. Deterministic: object {@code i} of a mix and seed is always
 * the same.
 *
 * <p>The {@link #realistic()} mix: 97% carry 1–4 KiB of data (application properties, an nginx
 * server block, a my.cnf, a JSON settings file), 3% carry 50–200 KiB (a Grafana-style dashboard or
 * a Prometheus rules file — the large ConfigMaps clusters really have). The {@link #small()} mix:
 * one or two short files, 200–600 bytes, for counting objects rather than bytes.
 */
record ConfigMapMix(String name, double largeShare, int smallMin, int smallMax, long seed) {
  static final String NAME_PREFIX = "bench-cm-";

  private static final String[] WORDS = {
    "cart", "checkout", "payment", "shipping", "catalog", "frontend", "redis", "currency", "email",
    "ads", "recommendation", "inventory", "orders", "search", "auth", "session", "metrics", "cache",
    "gateway", "billing", "profile", "review", "pricing", "notify", "worker", "scheduler", "audit"
  };
  private static final String[] COMPONENTS = {"api", "worker", "database", "cache", "frontend"};
  private static final int LARGE_MIN = 50 * 1024;
  private static final int LARGE_MAX = 200 * 1024;

  static ConfigMapMix realistic() {
    return new ConfigMapMix("realistic", 0.03, 1024, 4096, 20261123L);
  }

  static ConfigMapMix small() {
    return new ConfigMapMix("small", 0.0, 200, 600, 7L);
  }

  static String objectName(int index) {
    return NAME_PREFIX + String.format("%06d", index);
  }

  /** Object {@code index} of this mix in {@code namespace}. */
  ConfigMap object(String namespace, int index) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
    boolean large = random.nextDouble() < largeShare;
    int target =
        large ? random.nextInt(LARGE_MIN, LARGE_MAX + 1) : random.nextInt(smallMin, smallMax + 1);
    String app = pick(random, WORDS);
    Map<String, String> data = new LinkedHashMap<>();
    if (large) {
      if (random.nextBoolean()) {
        data.put("dashboard.json", dashboard(random, app, target));
      } else {
        data.put("alerts.yaml", rules(random, app, target));
      }
    } else {
      fillSmall(random, app, target, data);
    }
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(objectName(index))
        .withNamespace(namespace)
        .addToLabels("app.kubernetes.io/name", app)
        .addToLabels("app.kubernetes.io/component", pick(random, COMPONENTS))
        .addToLabels("app.kubernetes.io/part-of", "shop")
        .addToLabels("app.kubernetes.io/managed-by", "helm")
        .endMetadata()
        .withData(data)
        .build();
  }

  private static void fillSmall(
      SplittableRandom random, String app, int target, Map<String, String> data) {
    int files = target < 800 ? 1 + random.nextInt(2) : 1 + random.nextInt(3);
    int each = target / files;
    int first = random.nextInt(4);
    for (int f = 0; f < files; f++) {
      switch ((first + f) % 4) { // distinct files: a repeated key would replace the earlier one
        case 0 -> data.put("application.properties", properties(random, app, each));
        case 1 -> data.put("nginx.conf", nginx(random, app, each));
        case 2 -> data.put("my.cnf", mysql(random, each));
        default -> data.put("settings.json", settings(random, app, each));
      }
    }
  }

  private static String properties(SplittableRandom random, String app, int target) {
    StringBuilder out = new StringBuilder("# ").append(app).append(" service configuration\n");
    while (out.length() < target) {
      out.append(app)
          .append('.')
          .append(pick(random, WORDS))
          .append('.')
          .append(
              pick(random, new String[] {"timeout-ms", "enabled", "url", "pool-size", "retries"}))
          .append('=');
      switch (random.nextInt(3)) {
        case 0 -> out.append(random.nextInt(1, 60_000));
        case 1 -> out.append(random.nextBoolean());
        default ->
            out.append("http://")
                .append(pick(random, WORDS))
                .append("service:")
                .append(random.nextInt(3000, 9000));
      }
      out.append('\n');
    }
    return out.substring(0, Math.min(out.length(), target));
  }

  private static String nginx(SplittableRandom random, String app, int target) {
    StringBuilder out =
        new StringBuilder("worker_processes auto;\nevents { worker_connections 1024; }\n");
    out.append("http {\n  server {\n    listen 8080;\n    server_name ").append(app).append(";\n");
    while (out.length() < target - 20) {
      String word = pick(random, WORDS);
      out.append("    location /")
          .append(word)
          .append(" {\n      proxy_pass http://")
          .append(word)
          .append(':')
          .append(random.nextInt(3000, 9000))
          .append(";\n      proxy_read_timeout ")
          .append(random.nextInt(5, 120))
          .append("s;\n    }\n");
    }
    return out.append("  }\n}\n").toString();
  }

  private static String mysql(SplittableRandom random, int target) {
    StringBuilder out = new StringBuilder("[mysqld]\nlog-bin\n");
    String[] keys = {
      "max_connections", "innodb_buffer_pool_size", "wait_timeout", "thread_cache_size",
      "table_open_cache", "sort_buffer_size", "read_buffer_size", "tmp_table_size"
    };
    while (out.length() < target) {
      out.append(pick(random, keys)).append(" = ").append(random.nextInt(16, 1 << 20)).append('\n');
    }
    return out.toString();
  }

  private static String settings(SplittableRandom random, String app, int target) {
    StringBuilder out = new StringBuilder("{\n  \"service\": \"").append(app).append("\",\n");
    int i = 0;
    while (out.length() < target - 4) {
      out.append("  \"")
          .append(pick(random, WORDS))
          .append(i++)
          .append("\": {\"enabled\": ")
          .append(random.nextBoolean())
          .append(", \"limit\": ")
          .append(random.nextInt(1, 10_000))
          .append("},\n");
    }
    return out.append("  \"end\": true\n}\n").toString();
  }

  private static String dashboard(SplittableRandom random, String app, int target) {
    StringBuilder out = new StringBuilder("{\n  \"title\": \"").append(app).append("\",\n");
    out.append("  \"panels\": [\n");
    int id = 0;
    while (out.length() < target - 10) {
      String metric = pick(random, WORDS) + "_" + pick(random, WORDS) + "_total";
      out.append("    {\"id\": ")
          .append(id++)
          .append(", \"type\": \"timeseries\", \"title\": \"")
          .append(metric)
          .append("\", \"gridPos\": {\"h\": 8, \"w\": 12, \"x\": ")
          .append(random.nextInt(0, 2) * 12)
          .append(", \"y\": ")
          .append(id * 8)
          .append("}, \"targets\": [{\"expr\": \"sum(rate(")
          .append(metric)
          .append("{app=\\\"")
          .append(app)
          .append("\\\"}[5m])) by (pod)\", \"refId\": \"A\"}]},\n");
    }
    return out.append("    {}\n  ]\n}\n").toString();
  }

  private static String rules(SplittableRandom random, String app, int target) {
    StringBuilder out = new StringBuilder("groups:\n- name: ").append(app).append("\n  rules:\n");
    while (out.length() < target) {
      String metric = pick(random, WORDS) + "_" + pick(random, WORDS) + "_seconds";
      out.append("  - alert: ")
          .append(Character.toUpperCase(metric.charAt(0)))
          .append(metric.substring(1))
          .append("High\n    expr: histogram_quantile(0.99, sum(rate(")
          .append(metric)
          .append("_bucket[5m])) by (le)) > ")
          .append(random.nextInt(1, 30))
          .append("\n    for: ")
          .append(random.nextInt(1, 15))
          .append("m\n    labels:\n      severity: ")
          .append(random.nextBoolean() ? "warning" : "critical")
          .append("\n");
    }
    return out.toString();
  }

  private static String pick(SplittableRandom random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
