package io.hindsight.testing.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory stand-in for the registry's register and fetch-by-id endpoints, for fast unit tests
 * of the client's caching and error handling and of topologies. Real-server behaviour is tested in
 * {@code *IT}.
 */
public final class FakeRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final List<String> schemas = new ArrayList<>();
  public final AtomicInteger calls = new AtomicInteger();
  public volatile int forcedStatus;

  public FakeRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    calls.incrementAndGet();
    String path = exchange.getRequestURI().getPath();
    if (forcedStatus != 0) {
      reply(exchange, forcedStatus, "{\"error_code\":" + forcedStatus + "}");
    } else if (exchange.getRequestMethod().equals("POST") && path.endsWith("/versions")) {
      String schema = JSON.readTree(exchange.getRequestBody()).path("schema").asText();
      int id = schemas.indexOf(schema);
      if (id < 0) {
        schemas.add(schema);
        id = schemas.size() - 1;
      }
      reply(exchange, 200, "{\"id\":" + (id + 1) + "}");
    } else if (path.startsWith("/schemas/ids/")) {
      int id = Integer.parseInt(path.substring("/schemas/ids/".length()));
      if (id < 1 || id > schemas.size()) {
        reply(exchange, 404, "{\"error_code\":40403}");
      } else {
        reply(exchange, 200, JSON.createObjectNode().put("schema", schemas.get(id - 1)).toString());
      }
    } else {
      reply(exchange, 404, "{}");
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
