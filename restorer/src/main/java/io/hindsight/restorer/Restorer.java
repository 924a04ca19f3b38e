package io.hindsight.restorer;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.hindsight.history.ObjectId;
import io.hindsight.history.Selection;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;
import io.hindsight.history.StoredObject;
import io.hindsight.restorer.RestoreException.Problem;
import io.hindsight.restorer.RestoreOrder.PriorityClass;
import io.hindsight.schemas.sealing.SealingException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restore pipeline: plan (read the state at T from a {@link StateSource}) → select → sanitize →
 * transform → order → apply (or write manifests) → report. See DESIGN.md.
 *
 * <pre>{@code
 * RestoreResult result = new Restorer(source, client, Clock.systemUTC())
 *     .restore(RestoreRequest.builder("shop", at).toNamespace("shop-copy").build(), ProgressListener.NONE);
 * }</pre>
 */
public final class Restorer {
  private static final Logger LOG = LoggerFactory.getLogger(Restorer.class);
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final StateSource source;
  private final KubernetesClient client;
  private final Clock clock;
  private final NeverRestoreRules rules = NeverRestoreRules.standard();
  private final RestoreOrder order = RestoreOrder.standard();

  /**
   * @param client the target cluster; may be null when every request writes manifests to a folder
   */
  public Restorer(StateSource source, KubernetesClient client, Clock clock) {
    this.source = source;
    this.client = client;
    this.clock = clock;
  }

  /**
   * Restores as {@code request} says.
   *
   * @throws RestoreException when the request cannot start (nothing was written)
   * @throws io.hindsight.history.HistoryException when the history cannot answer for T
   */
  public RestoreResult restore(RestoreRequest request, ProgressListener progress) {
    long t0 = System.nanoTime();
    check(request);
    ResourceModifiers modifiers = modifiers(request);
    if (request.outputDir() != null) {
      ManifestWriter.checkUsable(request.outputDir());
    }
    TargetResources target = request.outputDir() == null ? discover() : null;

    // plan
    List<RestoreObject> namespaced = read(request, Optional.of(request.namespace()));
    List<RestoreObject> clusterScoped =
        request.clusterResources() ? read(request, Optional.of("")) : List.of();
    List<RestoreObject> recordedAll = new ArrayList<>(namespaced);
    recordedAll.addAll(clusterScoped);
    RecordedResources catalog = new RecordedResources(recordedAll, target);

    // select
    Selection selection = selection(request, catalog);
    ObjectSelector.Selected selected =
        new ObjectSelector(selection, rules, request.includeOwned())
            .select(request.namespace(), namespaced, clusterScoped);
    List<ObjectResult> results = new ArrayList<>(selected.skipped());
    List<RestoreObject> items = new ArrayList<>(selected.kept());
    Warnings warnings = new Warnings();

    // secrets: unsealed here only, or refused
    List<RestoreObject> secrets =
        items.stream().filter(o -> o.kindRef().matches(new KindRef("", "Secret"))).toList();
    if (!secrets.isEmpty()) {
      StringBuilder whyNot = new StringBuilder();
      Optional<SecretUnsealer> unsealer = SecretUnsealer.open(request.sealingKeyFile(), whyNot);
      if (unsealer.isEmpty()) {
        String message =
            "the restore holds "
                + secrets.size()
                + " Secret(s) but "
                + whyNot
                + ": give the watcher's key with --sealing-key-file";
        if (!request.skipSecretsWithoutKey()) {
          return refused(
              request, message + ", or add --skip-secrets-without-key to restore the rest", t0);
        }
        items.removeAll(secrets);
        secrets.forEach(
            s ->
                results.add(
                    ObjectResult.of(
                        s,
                        Outcome.SKIPPED,
                        "not unsealed: no sealing key (--skip-secrets-without-key)")));
        warnings.add("Secret", message);
      } else {
        for (RestoreObject secret : secrets) {
          try {
            unsealer.get().unseal(secret);
          } catch (SealingException e) {
            items.remove(secret);
            results.add(ObjectResult.of(secret, Outcome.FAILED, e.getMessage()));
          }
        }
      }
    }

    // sanitize, transform
    Set<String> volumes = new HashSet<>();
    items.stream()
        .filter(o -> o.kindRef().matches(new KindRef("", "PersistentVolume")))
        .forEach(o -> volumes.add(o.name()));
    Sanitizer sanitizer = new Sanitizer(volumes, request.preserveNodePorts());
    Transformer transformer =
        new Transformer(
            new NamespaceMapper(request.namespace(), request.toNamespace()),
            new StorageClassMapper(request.storageClassMap()),
            new ImageRegistryMapper(request.registryMap()),
            modifiers,
            catalog);
    List<RestoreObject> ready = new ArrayList<>();
    for (RestoreObject item : items) {
      try {
        sanitizer.sanitize(item);
        transformer.transform(item);
        ready.add(item);
      } catch (IllegalArgumentException e) {
        results.add(ObjectResult.of(item, Outcome.FAILED, e.getMessage()));
      }
    }
    if (request.outputDir() == null
        && client.namespaces().withName(request.toNamespace()).get() == null
        && ready.stream()
            .noneMatch(
                o ->
                    o.kindRef().matches(new KindRef("", "Namespace"))
                        && o.name().equals(request.toNamespace()))) {
      ready.add(bareNamespace(request));
    }

    // order, apply (or write)
    List<PriorityClass> classes = order.order(ready);
    progress.planned(results.size() + ready.size());
    results.forEach(progress::done);
    if (request.outputDir() != null) {
      results.addAll(
          new ManifestWriter(request.outputDir(), request.writeSecrets()).write(classes, progress));
    } else {
      Applier applier =
          new Applier(
              client,
              target,
              catalog,
              new Applier.Settings(
                  request.existingPolicy(),
                  request.forceConflicts(),
                  request.dryRun(),
                  request.parallelism()),
              progress,
              warnings);
      results.addAll(applier.apply(classes, request.toNamespace()));
      if (request.prune()) {
        Set<String> existed = new HashSet<>();
        namespaced.forEach(o -> existed.add(o.kind() + "/" + o.name()));
        List<ObjectResult> pruned =
            new Pruner(client, target, applier.live(), rules, request.dryRun())
                .prune(request.toNamespace(), selection, existed, warnings);
        pruned.forEach(progress::done);
        results.addAll(pruned);
      }
    }
    RestoreResult result =
        new RestoreResult(
            request.namespace(),
            request.toNamespace(),
            request.at().toString(),
            request.dryRun(),
            request.outputDir() == null ? null : request.outputDir().toString(),
            RestoreResult.statusOf(results),
            "",
            results,
            warnings.snapshot(),
            (System.nanoTime() - t0) / 1e9);
    LOG.info(
        "restore of {} at {} into {}: {} {}",
        request.namespace(),
        request.at(),
        request.toNamespace(),
        result.status(),
        result.counts());
    return result;
  }

  private void check(RestoreRequest request) {
    for (String ns : List.of(request.namespace(), request.toNamespace())) {
      if (!DNS_LABEL.matcher(ns).matches()) {
        throw new RestoreException(
            Problem.BAD_REQUEST,
            (ns.equals(request.namespace()) ? "--namespace" : "--to-namespace")
                + " '"
                + ns
                + "' is not a namespace name: lower-case letters, digits and '-', at most 63");
      }
    }
    if (request.at().isAfter(clock.instant())) {
      throw new RestoreException(
          Problem.TIME_IN_FUTURE,
          "--at "
              + request.at()
              + " is in the future (now is "
              + clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
              + "): give a past instant or -15m");
    }
    if (request.parallelism() < 1) {
      throw new RestoreException(
          Problem.BAD_REQUEST, "--parallelism " + request.parallelism() + ": give 1 or more");
    }
    if (request.prune() && request.outputDir() != null) {
      throw new RestoreException(
          Problem.BAD_REQUEST, "--prune does nothing with --output-dir: drop one of them");
    }
    if (request.outputDir() == null && client == null) {
      throw new RestoreException(
          Problem.BAD_REQUEST, "no target cluster: give --kubeconfig/--context, or --output-dir");
    }
  }

  private static ResourceModifiers modifiers(RestoreRequest request) {
    if (request.modifiersFile() == null) {
      return ResourceModifiers.NONE;
    }
    try {
      return ResourceModifiers.load(request.modifiersFile());
    } catch (ResourceModifiers.InvalidModifiersException e) {
      throw new RestoreException(Problem.MODIFIERS, e.getMessage(), e);
    }
  }

  private TargetResources discover() {
    try {
      return TargetResources.discover(client);
    } catch (KubernetesClientException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String why =
          e.getCode() > 0
              ? Applier.reason(e)
              : root.getClass().getSimpleName()
                  + (root.getMessage() == null ? "" : ": " + root.getMessage());
      throw new RestoreException(
          Problem.UNREACHABLE_CLUSTER,
          "the target cluster at "
              + client.getMasterUrl()
              + " cannot be used ("
              + Applier.oneLine(why)
              + "): check --kubeconfig and --context",
          e);
    }
  }

  private List<RestoreObject> read(RestoreRequest request, Optional<String> namespace) {
    StateQuery query =
        new StateQuery(
            request.cluster(), namespace, request.at(), Selection.EVERYTHING, request.allowGaps());
    State state = source.stateAt(query);
    List<RestoreObject> objects = new ArrayList<>();
    for (StoredObject stored : state.objects()) {
      objects.add(new RestoreObject(stored.id(), JsonTrees.parse(stored.json())));
    }
    return objects;
  }

  /** The user's selection, kinds resolved to {@code Kind.group} through the catalog. */
  private static Selection selection(RestoreRequest request, ResourceCatalog catalog) {
    return new Selection(
        resolve("--include-kinds", request.includeKinds(), catalog),
        resolve("--exclude-kinds", request.excludeKinds(), catalog),
        request.labels(),
        request.names());
  }

  private static Set<String> resolve(String option, List<String> tokens, ResourceCatalog catalog) {
    Set<String> kinds = new LinkedHashSet<>();
    for (String token : tokens) {
      List<KindRef> found = catalog.resolve(token);
      if (found.isEmpty()) {
        throw new RestoreException(
            Problem.UNKNOWN_KIND,
            option
                + " '"
                + token
                + "': the target serves no such kind and the history at T holds none;"
                + " give a Kind (Deployment), a resource (deployments) or a qualified one (deployments.apps)");
      }
      found.forEach(k -> kinds.add(k.toString()));
    }
    return kinds;
  }

  private static RestoreObject bareNamespace(RestoreRequest request) {
    var object = JsonTrees.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
    object.putObject("metadata").put("name", request.toNamespace());
    return new RestoreObject(
        new ObjectId(
            request.cluster() == null ? "" : request.cluster(),
            "",
            "Namespace",
            "",
            request.namespace()),
        object);
  }

  private RestoreResult refused(RestoreRequest request, String message, long t0) {
    return new RestoreResult(
        request.namespace(),
        request.toNamespace(),
        request.at().toString(),
        request.dryRun(),
        request.outputDir() == null ? null : request.outputDir().toString(),
        RestoreResult.Status.REFUSED,
        message,
        List.of(),
        java.util.Map.of(),
        (System.nanoTime() - t0) / 1e9);
  }

  /** The instant {@code text} names, relative to this restorer's clock. */
  public Instant time(String text) {
    return RestoreTime.parse(text, clock);
  }
}
