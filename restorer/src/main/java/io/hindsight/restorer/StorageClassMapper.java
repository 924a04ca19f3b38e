package io.hindsight.restorer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Transform: renames storage classes ({@code --storage-class-map old=new,...}) where a claim or
 * volume names one: PVC and PV {@code spec.storageClassName}, the legacy {@code
 * volume.beta.kubernetes.io/storage-class} annotation, and StatefulSet volumeClaimTemplates.
 */
final class StorageClassMapper {
  static final String LEGACY_ANNOTATION = "volume.beta.kubernetes.io/storage-class";
  private final Map<String, String> mapping;

  StorageClassMapper(Map<String, String> mapping) {
    this.mapping = Map.copyOf(mapping);
  }

  void map(RestoreObject item) {
    if (mapping.isEmpty()) {
      return;
    }
    KindRef kind = item.kindRef();
    if (kind.group().isEmpty()
        && (kind.kind().equals("PersistentVolumeClaim")
            || kind.kind().equals("PersistentVolume"))) {
      claim(item.object());
    } else if (kind.group().equals("apps") && kind.kind().equals("StatefulSet")) {
      JsonTrees.forEachObject(item.object(), this::claim, "spec", "volumeClaimTemplates");
    }
  }

  private void claim(ObjectNode claim) {
    ObjectNode spec = JsonTrees.object(claim, "spec");
    if (spec != null && mapping.containsKey(spec.path("storageClassName").asText())) {
      spec.put("storageClassName", mapping.get(spec.path("storageClassName").asText()));
    }
    ObjectNode annotations = JsonTrees.object(claim, "metadata", "annotations");
    if (annotations != null && mapping.containsKey(annotations.path(LEGACY_ANNOTATION).asText())) {
      annotations.put(LEGACY_ANNOTATION, mapping.get(annotations.path(LEGACY_ANNOTATION).asText()));
    }
  }
}
