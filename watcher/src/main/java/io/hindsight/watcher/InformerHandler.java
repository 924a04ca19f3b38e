package io.hindsight.watcher;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.hindsight.watcher.Observation.ObjectEvent;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Informer callbacks only enqueue (no I/O here): the publisher decides what is a real change. A
 * resync is told apart from an update by an unchanged resourceVersion. Objects whose JSON and hash
 * the publisher will need go to {@link MaterialWorkers} on the way, so that work is under way
 * before the publisher reaches them.
 */
final class InformerHandler implements ResourceEventHandler<GenericKubernetesResource> {
  private final ResourceType type;
  private final ResourceFilter filter;
  private final ObservationQueue queue;
  private final MaterialWorkers workers;
  private final AtomicLong adds = new AtomicLong();

  /** {@code workers} may be null: the publisher then computes every object's material itself. */
  InformerHandler(
      ResourceType type, ResourceFilter filter, ObservationQueue queue, MaterialWorkers workers) {
    this.type = type;
    this.filter = filter;
    this.queue = queue;
    this.workers = workers;
  }

  /** How many adds were delivered (the initial list arrives as adds). */
  long adds() {
    return adds.get();
  }

  @Override
  public void onAdd(GenericKubernetesResource obj) {
    adds.incrementAndGet();
    offer(new ObjectEvent(type, ObjectEvent.Kind.ADD, obj, null, false));
  }

  @Override
  public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
    boolean resync =
        Objects.equals(
            oldObj.getMetadata().getResourceVersion(), newObj.getMetadata().getResourceVersion());
    offer(
        new ObjectEvent(
            type,
            resync ? ObjectEvent.Kind.RESYNC : ObjectEvent.Kind.UPDATE,
            newObj,
            oldObj,
            false));
  }

  @Override
  public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
    offer(new ObjectEvent(type, ObjectEvent.Kind.DELETE, obj, null, deletedFinalStateUnknown));
  }

  private void offer(ObjectEvent event) {
    if (!filter.records(event.object().getMetadata().getNamespace())) {
      return;
    }
    if (workers != null && event.needsMaterial()) {
      event = event.withMaterial(workers.submit(type, event.object()));
    }
    queue.put(event);
  }
}
