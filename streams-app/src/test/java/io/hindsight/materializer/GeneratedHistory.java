package io.hindsight.materializer;

import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A random history of ConfigMaps and Deployments in a few namespaces: creates, updates (many of a
 * few hot objects, as status updates are), deletes, re-creations under the same name, and exact
 * repeats of the previous change (as a watcher replay would send). Time advances by a random step
 * per change. {@link #stateAt} is the model the tests check the tables against: the last change of
 * every object observed at or before T, deleted objects dropped — computed from the generated list
 * alone, independently of the code under test.
 */
final class GeneratedHistory {
  /** One generated change; {@code repeat} marks an exact copy of the previous one. */
  record Event(ChangeEnvelope envelope, boolean repeat) {}

  /** What the model says an object was at T. */
  record Expected(String namespace, String kind, String name, String uid, String resourceVersion) {}

  final List<Event> events = new ArrayList<>();
  final Instant start;
  final List<String> namespaces;

  GeneratedHistory(
      ChangeRecords records, long seed, int changes, int namespaceCount, Instant start) {
    this.start = start;
    Random random = new Random(seed);
    this.namespaces = new ArrayList<>();
    for (int i = 0; i < namespaceCount; i++) {
      namespaces.add("ns-" + i);
    }
    Map<String, String[]> live = new HashMap<>(); // ns/kind/name -> {uid, rv}
    Instant at = start;
    long resourceVersion = 1000;
    int uidCounter = 0;
    Event previous = null;
    for (int i = 0; i < changes; i++) {
      at = at.plusMillis(50 + random.nextInt(4000));
      if (previous != null && random.nextInt(20) == 0) {
        ChangeEnvelope copy = ChangeEnvelope.newBuilder(previous.envelope()).build();
        events.add(new Event(copy, true));
        continue;
      }
      String ns = namespaces.get(random.nextInt(namespaces.size()));
      String kind = random.nextInt(4) == 0 ? "Deployment" : "ConfigMap";
      boolean hot = random.nextInt(3) == 0;
      String name = (hot ? "hot-" : "obj-") + random.nextInt(hot ? 3 : 40);
      String id = ns + "/" + kind + "/" + name;
      String[] current = live.get(id);
      EventType type;
      String uid;
      if (current == null) {
        type = EventType.ADDED;
        uid = "uid-" + (++uidCounter);
      } else if (!hot && random.nextInt(6) == 0) {
        type = EventType.DELETED;
        uid = current[0];
      } else {
        type = EventType.MODIFIED;
        uid = current[0];
      }
      String rv = String.valueOf(++resourceVersion);
      ChangeEnvelope envelope = records.envelope(type, kind, ns, name, uid, rv, "hash-" + rv, at);
      if (type == EventType.DELETED) {
        live.remove(id);
      } else {
        live.put(id, new String[] {uid, rv});
      }
      previous = new Event(envelope, false);
      events.add(previous);
    }
  }

  Instant end() {
    return events.get(events.size() - 1).envelope().getObservedAt();
  }

  Duration span() {
    return Duration.between(start, end());
  }

  /** The model's state of {@code namespace} at {@code at}, keyed by kind/name. */
  Map<String, Expected> stateAt(String namespace, Instant at) {
    Map<String, Expected> state = new TreeMap<>();
    for (Event event : events) {
      ChangeEnvelope e = event.envelope();
      if (e.getObservedAt().isAfter(at)) {
        break;
      }
      if (!e.getNamespace().equals(namespace)) {
        continue;
      }
      String key = e.getKind() + "/" + e.getName();
      if (e.getEventType() == EventType.DELETED) {
        state.remove(key);
      } else {
        state.put(
            key,
            new Expected(
                e.getNamespace(), e.getKind(), e.getName(), e.getUid(), e.getResourceVersion()));
      }
    }
    return state;
  }

  /** Changes that are not repeats: what the changes table must hold, each exactly once. */
  long distinctChanges() {
    return events.stream().filter(e -> !e.repeat()).count();
  }
}
