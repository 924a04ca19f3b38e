package io.hindsight.restorer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Transform: moves objects from namespace {@code from} to {@code to} ({@code --to-namespace}) and
 * rewrites what refers to the namespace by name:
 *
 * <ul>
 *   <li>{@code metadata.namespace}, and the Namespace object's own name;
 *   <li>RoleBinding and ClusterRoleBinding subjects: {@code namespace} of ServiceAccount subjects,
 *       user {@code system:serviceaccount:FROM:NAME} and group {@code system:serviceaccounts:FROM};
 *   <li>a PersistentVolume's {@code spec.claimRef.namespace};
 *   <li>Service DNS names in container environment values: {@code NAME.FROM.svc} (also followed by
 *       {@code .cluster.local}) becomes {@code NAME.TO.svc}. Short names ({@code NAME}, {@code
 *       NAME.FROM}) and values in ConfigMaps are left alone.
 * </ul>
 */
final class NamespaceMapper {
  private final String from;
  private final String to;
  private final Pattern serviceDns;

  NamespaceMapper(String from, String to) {
    this.from = from;
    this.to = to;
    this.serviceDns =
        Pattern.compile(
            "\\b([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\." + Pattern.quote(from) + "\\.svc\\b");
  }

  boolean active() {
    return !from.equals(to);
  }

  void map(RestoreObject item) {
    if (!active()) {
      return;
    }
    ObjectNode object = item.object();
    ObjectNode meta = item.metadata();
    if (from.equals(meta.path("namespace").asText())) {
      meta.put("namespace", to);
    }
    KindRef kind = item.kindRef();
    if (kind.group().isEmpty() && kind.kind().equals("Namespace") && from.equals(item.name())) {
      meta.put("name", to);
    }
    if (kind.group().equals("rbac.authorization.k8s.io")
        && (kind.kind().equals("RoleBinding") || kind.kind().equals("ClusterRoleBinding"))) {
      JsonTrees.forEachObject(object, this::subject, "subjects");
    }
    if (kind.group().isEmpty() && kind.kind().equals("PersistentVolume")) {
      ObjectNode claimRef = JsonTrees.object(object, "spec", "claimRef");
      if (claimRef != null && from.equals(claimRef.path("namespace").asText())) {
        claimRef.put("namespace", to);
      }
    }
    for (ObjectNode spec : JsonTrees.podSpecs(object)) {
      for (ObjectNode container : JsonTrees.containers(spec)) {
        JsonTrees.forEachObject(
            container,
            env -> {
              if (env.path("value").isTextual()) {
                env.put("value", rewriteDns(env.path("value").asText()));
              }
            },
            "env");
      }
    }
  }

  private void subject(ObjectNode subject) {
    String kind = subject.path("kind").asText();
    if (from.equals(subject.path("namespace").asText())) {
      subject.put("namespace", to);
    }
    String name = subject.path("name").asText();
    if (kind.equals("User") && name.startsWith("system:serviceaccount:" + from + ":")) {
      subject.put(
          "name",
          "system:serviceaccount:"
              + to
              + ":"
              + name.substring(("system:serviceaccount:" + from + ":").length()));
    }
    if (kind.equals("Group") && name.equals("system:serviceaccounts:" + from)) {
      subject.put("name", "system:serviceaccounts:" + to);
    }
  }

  String rewriteDns(String value) {
    Matcher matcher = serviceDns.matcher(value);
    return matcher.replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "." + to + ".svc"));
  }
}
