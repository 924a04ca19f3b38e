package io.hindsight.restorer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resource types history shows: the kinds of the recorded objects and the CRDs among them. Used
 * where the target's discovery cannot be (manifests to a folder, custom resources whose CRD this
 * restore creates), and layered over it otherwise. Plurals come from CRDs or are guessed.
 */
final class RecordedResources implements ResourceCatalog {
  private final Map<String, ServedResource> byKind;
  private final ResourceCatalog over;

  /**
   * @param objects the recorded objects (their kinds, and CRDs' names)
   * @param over the catalog that wins when it knows a kind (the target's discovery), or null
   */
  RecordedResources(List<RestoreObject> objects, ResourceCatalog over) {
    this.over = over;
    Map<String, ServedResource> found = new LinkedHashMap<>();
    for (RestoreObject object : objects) {
      if (object
          .kindRef()
          .matches(new KindRef("apiextensions.k8s.io", "CustomResourceDefinition"))) {
        JsonNode spec = object.object().path("spec");
        KindRef kind =
            new KindRef(spec.path("group").asText(), spec.path("names").path("kind").asText());
        List<String> versions = new ArrayList<>();
        spec.path("versions").forEach(v -> versions.add(v.path("name").asText()));
        List<String> shortNames = new ArrayList<>();
        spec.path("names").path("shortNames").forEach(s -> shortNames.add(s.asText()));
        found.put(
            kind.lowerKey(),
            new ServedResource(
                kind,
                spec.path("names").path("plural").asText(),
                "Namespaced".equals(spec.path("scope").asText()),
                versions,
                shortNames,
                List.of()));
      }
    }
    for (RestoreObject object : objects) {
      KindRef kind = object.kindRef();
      found.putIfAbsent(
          kind.lowerKey(),
          new ServedResource(
              kind,
              ResourceCatalog.guessPlural(kind.kind()),
              !object.source().namespace().isEmpty(),
              List.of(object.apiVersion().substring(object.apiVersion().indexOf('/') + 1)),
              List.of(),
              List.of()));
    }
    this.byKind = Map.copyOf(found);
  }

  @Override
  public Optional<ServedResource> find(KindRef kind) {
    if (over != null) {
      Optional<ServedResource> served = over.find(kind);
      if (served.isPresent()) {
        return served;
      }
    }
    return Optional.ofNullable(byKind.get(kind.lowerKey()));
  }

  /** Whether {@code kind} is known only from history (not served by the target). */
  boolean recordedOnly(KindRef kind) {
    return (over == null || over.find(kind).isEmpty()) && byKind.containsKey(kind.lowerKey());
  }

  @Override
  public List<ServedResource> all() {
    Map<String, ServedResource> all = new LinkedHashMap<>(byKind);
    if (over != null) {
      over.all().forEach(r -> all.put(r.kind().lowerKey(), r));
    }
    return List.copyOf(all.values());
  }
}
