package io.hindsight.watcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Types a discovery no longer shows, held until a later discovery confirms it. A restarting API
 * server lists its API groups one by one as they become available, so a single discovery that lacks
 * a group is no evidence that its objects are gone; one that still lacks it a discovery interval
 * later is. (A CRD deleted for good: its objects' deletions come from their informer first;
 * recording the type as gone is the safety net, and may wait one interval.)
 */
final class VanishedTypes {
  private static final Logger LOG = LoggerFactory.getLogger(VanishedTypes.class);
  private final long confirmAfterNanos;
  private final Map<String, Long> absentSince = new HashMap<>();

  VanishedTypes(Duration confirmAfter) {
    this.confirmAfterNanos = confirmAfter.toNanos();
  }

  /**
   * Of the types absent from the discovery made at {@code nowNanos}, those absent since at least
   * the confirmation time (each returned once). Types not absent any more are forgotten.
   */
  synchronized List<ResourceType> confirm(List<ResourceType> absent, long nowNanos) {
    Set<String> ids = new HashSet<>();
    List<ResourceType> confirmed = new ArrayList<>();
    for (ResourceType type : absent) {
      ids.add(type.id());
      long since =
          absentSince.computeIfAbsent(
              type.id(),
              id -> {
                LOG.info(
                    "resource type {} is missing from discovery: kept until a discovery {} s later"
                        + " confirms it",
                    id,
                    confirmAfterNanos / 1_000_000_000L);
                return nowNanos;
              });
      if (nowNanos - since >= confirmAfterNanos) {
        confirmed.add(type);
      }
    }
    absentSince.keySet().retainAll(ids);
    confirmed.forEach(t -> absentSince.remove(t.id()));
    return confirmed;
  }
}
