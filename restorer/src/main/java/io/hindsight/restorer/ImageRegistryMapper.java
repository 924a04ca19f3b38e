package io.hindsight.restorer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Transform: moves container images to another registry ({@code --registry-map old=new,...}). A key
 * is a registry ({@code gcr.io}) or a registry and path prefix ({@code gcr.io/google-samples}); the
 * longest matching key wins and its prefix is replaced. Images without a registry are Docker Hub's:
 * {@code redis:alpine} is {@code docker.io/library/redis:alpine}, so a key {@code docker.io} maps
 * it. Applies to containers, init and ephemeral containers of every pod spec (Pods, templates,
 * CronJob job templates).
 */
final class ImageRegistryMapper {
  private final List<Map.Entry<String, String>> mapping;

  ImageRegistryMapper(Map<String, String> mapping) {
    this.mapping =
        mapping.entrySet().stream()
            .sorted(
                Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length())
                    .reversed())
            .map(e -> Map.entry(strip(e.getKey()), strip(e.getValue())))
            .toList();
  }

  private static String strip(String prefix) {
    return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  void map(RestoreObject item) {
    if (mapping.isEmpty()) {
      return;
    }
    for (ObjectNode spec : JsonTrees.podSpecs(item.object())) {
      for (ObjectNode container : JsonTrees.containers(spec)) {
        if (container.path("image").isTextual()) {
          container.put("image", map(container.path("image").asText()));
        }
      }
    }
  }

  String map(String image) {
    String full = qualified(image);
    for (Map.Entry<String, String> e : mapping) {
      if (full.startsWith(e.getKey() + "/")) {
        return e.getValue() + full.substring(e.getKey().length());
      }
    }
    return image;
  }

  /** The image with its registry spelled out, as the container runtime reads it. */
  static String qualified(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) {
      return "docker.io/library/" + image;
    }
    String first = image.substring(0, slash);
    boolean registry = first.contains(".") || first.contains(":") || first.equals("localhost");
    return registry ? image : "docker.io/" + image;
  }
}
