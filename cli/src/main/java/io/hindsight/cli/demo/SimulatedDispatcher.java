package io.hindsight.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * fabric8's CRUD mock with what the demo needs of a real API server on top: the recorded discovery
 * of kube-apiserver 1.20.2 ({@link RecordedDiscovery}), and server-side apply ({@code PATCH} with
 * {@code application/apply-patch+yaml}, which the mock answers with 415): a create when the object
 * is absent, a merge of the applied configuration when it exists ({@link AppliedObject}), and with
 * {@code dryRun=All} the same answer without storing anything. Both go through the mock's own
 * create and update, so watches see them as ADDED and MODIFIED. Creates and updates get the one
 * server default the demo relies on ({@link ServerDefaults}).
 *
 * <p>What the mock cannot do is refused rather than done wrong: subresources other than {@code
 * status} answer 404 (the mock has none but status; at {@code /scale} it reads and writes the
 * object itself), dry-run writes other than apply answer 400 (the mock would really write them).
 */
final class SimulatedDispatcher extends KubernetesCrudDispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final int ATTEMPTS = 5;
  private final RecordedDiscovery discovery;
  private final Clock clock;

  SimulatedDispatcher(RecordedDiscovery discovery, Clock clock) {
    this.discovery = discovery;
    this.clock = clock;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String target = request.getPath();
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = query(q < 0 ? "" : target.substring(q + 1));
    if (RecordedDiscovery.isDiscoveryPath(path)) {
      if (request.method() != HttpMethod.GET) {
        return status(405, "MethodNotAllowed", request.getMethod() + " is not allowed on " + path);
      }
      return discovery
          .document(path)
          .map(document -> json(200, document))
          .orElseGet(() -> status(404, "NotFound", "the server could not find " + path));
    }
    String subresource = subresource(path);
    if (subresource != null && !subresource.equals("status")) {
      return status(
          404,
          "NotFound",
          "the simulated API server does not serve the " + subresource + " subresource");
    }
    if (request.method() == HttpMethod.PATCH && isApply(request.getHeader("Content-Type"))) {
      return apply(path, query, request.getUtf8Body());
    }
    if (query.containsKey("dryRun") && request.method() != HttpMethod.GET) {
      return status(
          400,
          "BadRequest",
          "the simulated API server dry-runs server-side apply only, not " + request.getMethod());
    }
    return super.dispatch(request);
  }

  /** Every create, the apply's included, with {@link ServerDefaults} filled in. */
  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    return super.handleCreate(defaulted(request));
  }

  /** Every update of an object (not of its status), the apply's included, likewise. */
  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    return super.handleUpdate(defaulted(request));
  }

  /**
   * The request with {@link ServerDefaults} filled into its body; the request itself when none
   * apply (its body is read without consuming it: the mock reads it next).
   */
  private static RecordedRequest defaulted(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    if (request.getBody() == null || subresource(q < 0 ? path : path.substring(0, q)) != null) {
      return request;
    }
    try {
      JsonNode object = JSON.readTree(request.getBody().getBytes());
      if (ServerDefaults.apply(object)) {
        return request(request.method(), path, object);
      }
    } catch (IOException e) {
      // not JSON: the mock answers it as it does
    }
    return request;
  }

  /** Server-side apply of {@code body} to the object at {@code path}. */
  private MockResponse apply(String path, Map<String, String> query, String body) {
    if (query.getOrDefault("fieldManager", "").isBlank()) {
      return status(
          400,
          "BadRequest",
          "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required"
              + " for apply patch");
    }
    ObjectNode applied;
    try {
      JsonNode tree = YAML.readTree(body);
      if (!(tree instanceof ObjectNode object) || !(object.get("metadata") instanceof ObjectNode)) {
        return status(
            400, "BadRequest", "the applied configuration is not an object with metadata");
      }
      applied = object;
    } catch (IOException e) {
      return status(400, "BadRequest", "cannot read the applied configuration: " + e.getMessage());
    }
    Map<String, String> where =
        ((KubernetesAttributesExtractor) getAttributeExtractor()).fromKubernetesPath(path);
    String name = where.get(KubernetesAttributesExtractor.NAME);
    String namespace = where.get(KubernetesAttributesExtractor.NAMESPACE);
    JsonNode metadata = applied.get("metadata");
    String kind = applied.path("kind").asText();
    if (kind.isEmpty() || applied.path("apiVersion").asText().isEmpty()) {
      return status(422, "Invalid", "apiVersion and kind must be set in the applied configuration");
    }
    if (name == null || !name.equals(metadata.path("name").asText())) {
      return status(
          400,
          "BadRequest",
          "the name of the object ("
              + metadata.path("name").asText()
              + ") does not match the name on the URL ("
              + name
              + ")");
    }
    String appliedNamespace = metadata.path("namespace").asText();
    if (!appliedNamespace.isEmpty() && !appliedNamespace.equals(namespace)) {
      return status(
          400,
          "BadRequest",
          "the namespace of the object ("
              + appliedNamespace
              + ") does not match the namespace on the URL ("
              + namespace
              + ")");
    }
    boolean dryRun = "All".equals(query.get("dryRun"));
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      MockResponse current = super.handleGet(path);
      if (current.code() == 404) {
        if (dryRun) {
          ObjectNode created = AppliedObject.created(applied, namespace, clock.instant());
          ServerDefaults.apply(created);
          return json(201, created);
        }
        MockResponse created =
            handleCreate(
                request(HttpMethod.POST, collection(path), AppliedObject.forCreate(applied)));
        if (created.code() != 409) { // 409: created meanwhile; merge into that one
          return created;
        }
        continue;
      }
      ObjectNode live;
      try {
        live = (ObjectNode) JSON.readTree(current.getBody().readUtf8());
      } catch (IOException | ClassCastException e) {
        return status(500, "InternalError", "cannot read the stored object: " + e.getMessage());
      }
      ObjectNode merged = AppliedObject.merged(live, applied);
      if (dryRun) {
        ServerDefaults.apply(merged);
        return json(200, merged);
      }
      MockResponse updated = handleUpdate(request(HttpMethod.PUT, path, merged));
      if (updated.code() != 409) { // 409: written meanwhile; merge into the new version
        return updated;
      }
    }
    return status(
        409, "Conflict", "the object kept changing during " + ATTEMPTS + " apply attempts");
  }

  static boolean isApply(String contentType) {
    return contentType != null && contentType.startsWith("application/apply-patch");
  }

  /**
   * The subresource {@code path} names ({@code scale} of {@code
   * /apis/apps/v1/namespaces/n/deployments/d/scale}), or null.
   */
  static String subresource(String path) {
    List<String> parts = Arrays.asList(path.replaceFirst("^/", "").split("/"));
    int resource;
    if (parts.get(0).equals("api") && parts.size() > 2) {
      resource = 2;
    } else if (parts.get(0).equals("apis") && parts.size() > 3) {
      resource = 3;
    } else {
      return null;
    }
    List<String> rest = parts.subList(resource, parts.size());
    // namespaces/NS/PLURAL/... is a namespaced resource; namespaces/NAME/status (or /finalize)
    // a subresource of a Namespace
    boolean ofNamespace =
        rest.size() == 3 && (rest.get(2).equals("status") || rest.get(2).equals("finalize"));
    if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !ofNamespace) {
      rest = rest.subList(2, rest.size());
    }
    return rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : null;
  }

  private static String collection(String objectPath) {
    return objectPath.substring(0, objectPath.lastIndexOf('/'));
  }

  private static RecordedRequest request(HttpMethod method, String path, JsonNode body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return new RecordedRequest(
        "HTTP/1.1",
        method,
        path,
        Headers.builder().add("Content-Type", "application/json").build(),
        new Buffer(bytes));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      values.put(key, value);
    }
    return values;
  }

  private static MockResponse json(int code, Object body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }

  private static MockResponse status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return json(code, status);
  }
}
