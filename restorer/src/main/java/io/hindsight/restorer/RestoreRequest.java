package io.hindsight.restorer;

import io.hindsight.history.LabelSelector;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to restore and how: namespace {@code namespace} as it was at {@code at}, into {@code
 * toNamespace}; built with {@link #builder(String, Instant)}. The options mirror {@code hindsight
 * restore}'s (see its {@code --help}).
 */
public record RestoreRequest(
    String cluster,
    String namespace,
    Instant at,
    String toNamespace,
    List<String> includeKinds,
    List<String> excludeKinds,
    LabelSelector labels,
    Set<String> names,
    ExistingPolicy existingPolicy,
    boolean forceConflicts,
    boolean prune,
    boolean dryRun,
    Path outputDir,
    boolean writeSecrets,
    Path modifiersFile,
    Map<String, String> storageClassMap,
    Map<String, String> registryMap,
    boolean includeOwned,
    boolean preserveNodePorts,
    boolean clusterResources,
    boolean allowGaps,
    Path sealingKeyFile,
    boolean skipSecretsWithoutKey,
    int parallelism) {

  public RestoreRequest {
    includeKinds = List.copyOf(includeKinds);
    excludeKinds = List.copyOf(excludeKinds);
    names = Set.copyOf(names);
    storageClassMap = Map.copyOf(storageClassMap);
    registryMap = Map.copyOf(registryMap);
    labels = labels == null ? LabelSelector.everything() : labels;
    toNamespace = toNamespace == null || toNamespace.isBlank() ? namespace : toNamespace;
  }

  public static Builder builder(String namespace, Instant at) {
    return new Builder(namespace, at);
  }

  public boolean mapsNamespace() {
    return !namespace.equals(toNamespace);
  }

  /** Builds a {@link RestoreRequest}; every option has the command line's default. */
  public static final class Builder {
    private final String namespace;
    private final Instant at;
    private String cluster;
    private String toNamespace;
    private List<String> includeKinds = List.of();
    private List<String> excludeKinds = List.of();
    private LabelSelector labels = LabelSelector.everything();
    private Set<String> names = Set.of();
    private ExistingPolicy existingPolicy = ExistingPolicy.NONE;
    private boolean forceConflicts = true;
    private boolean prune;
    private boolean dryRun;
    private Path outputDir;
    private boolean writeSecrets;
    private Path modifiersFile;
    private Map<String, String> storageClassMap = Map.of();
    private Map<String, String> registryMap = Map.of();
    private boolean includeOwned;
    private boolean preserveNodePorts;
    private boolean clusterResources = true;
    private boolean allowGaps;
    private Path sealingKeyFile;
    private boolean skipSecretsWithoutKey;
    private int parallelism = 8;

    private Builder(String namespace, Instant at) {
      this.namespace = namespace;
      this.at = at;
    }

    public Builder cluster(String value) {
      this.cluster = value;
      return this;
    }

    public Builder toNamespace(String value) {
      this.toNamespace = value;
      return this;
    }

    public Builder includeKinds(List<String> value) {
      this.includeKinds = value;
      return this;
    }

    public Builder excludeKinds(List<String> value) {
      this.excludeKinds = value;
      return this;
    }

    public Builder labels(LabelSelector value) {
      this.labels = value;
      return this;
    }

    public Builder names(Set<String> value) {
      this.names = value;
      return this;
    }

    public Builder existingPolicy(ExistingPolicy value) {
      this.existingPolicy = value;
      return this;
    }

    /** With {@link ExistingPolicy#UPDATE}: report apply conflicts instead of taking the fields. */
    public Builder keepConflictingFields() {
      this.forceConflicts = false;
      return this;
    }

    public Builder prune() {
      this.prune = true;
      return this;
    }

    public Builder dryRun() {
      this.dryRun = true;
      return this;
    }

    public Builder outputDir(Path value) {
      this.outputDir = value;
      return this;
    }

    /** With an output folder: write Secrets too, their values in clear. */
    public Builder writeSecrets() {
      this.writeSecrets = true;
      return this;
    }

    public Builder modifiersFile(Path value) {
      this.modifiersFile = value;
      return this;
    }

    public Builder storageClassMap(Map<String, String> value) {
      this.storageClassMap = value;
      return this;
    }

    public Builder registryMap(Map<String, String> value) {
      this.registryMap = value;
      return this;
    }

    /**
     * Restore objects owned by a restored controller too (their controller would recreate them).
     */
    public Builder includeOwned() {
      this.includeOwned = true;
      return this;
    }

    public Builder preserveNodePorts() {
      this.preserveNodePorts = true;
      return this;
    }

    /** Leave out the related cluster-scoped objects (Namespace, CRDs, PVs, cluster RBAC). */
    public Builder withoutClusterResources() {
      this.clusterResources = false;
      return this;
    }

    public Builder allowGaps() {
      this.allowGaps = true;
      return this;
    }

    public Builder sealingKeyFile(Path value) {
      this.sealingKeyFile = value;
      return this;
    }

    public Builder skipSecretsWithoutKey() {
      this.skipSecretsWithoutKey = true;
      return this;
    }

    public Builder parallelism(int value) {
      this.parallelism = value;
      return this;
    }

    public RestoreRequest build() {
      return new RestoreRequest(
          cluster,
          namespace,
          at,
          toNamespace,
          includeKinds,
          excludeKinds,
          labels,
          names,
          existingPolicy,
          forceConflicts,
          prune,
          dryRun,
          outputDir,
          writeSecrets,
          modifiersFile,
          storageClassMap,
          registryMap,
          includeOwned,
          preserveNodePorts,
          clusterResources,
          allowGaps,
          sealingKeyFile,
          skipSecretsWithoutKey,
          parallelism);
    }
  }
}
