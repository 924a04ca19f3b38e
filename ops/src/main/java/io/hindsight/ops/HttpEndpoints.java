package io.hindsight.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * {@code /metrics} (Prometheus text format), {@code /healthz} (the process works) and {@code
 * /readyz} (the program is ready: every informer watches, every stream thread runs) on one small
 * JDK HTTP server; shared by Hindsight's long-running programs.
 */
public final class HttpEndpoints implements AutoCloseable {
  private final HttpServer server;

  public HttpEndpoints(
      String host,
      int port,
      String portSetting,
      PrometheusRegistry registry,
      BooleanSupplier live,
      BooleanSupplier ready) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on "
              + host
              + ":"
              + port
              + " for /metrics, /healthz and /readyz ("
              + e.getMessage()
              + "): choose another "
              + portSetting,
          e);
    }
    PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
    server.createContext(
        "/metrics",
        exchange -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          writer.write(out, registry.scrape());
          reply(exchange, 200, writer.getContentType(), out.toByteArray());
        });
    server.createContext("/healthz", exchange -> status(exchange, live.getAsBoolean()));
    server.createContext("/readyz", exchange -> status(exchange, ready.getAsBoolean()));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void status(HttpExchange exchange, boolean ok) throws IOException {
    reply(
        exchange,
        ok ? 200 : 503,
        "text/plain",
        (ok ? "ok\n" : "not ready\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void reply(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
