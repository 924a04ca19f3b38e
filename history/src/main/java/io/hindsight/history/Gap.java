package io.hindsight.history;

import java.time.Instant;

/**
 * An interval in which the watcher of {@code cluster} could not observe changes as they happened:
 * history inside it is not exact. {@code resource} is {@code *} (everything), a resource type
 * ({@code apps/v1/deployments}, {@code /v1/configmaps}), or a type and one object ({@code
 * /v1/configmaps ns/name}).
 */
public record Gap(String cluster, String resource, Instant from, Instant to, String reason) {

  /** True when {@code at} lies strictly inside the gap (its ends are observed instants). */
  public boolean covers(Instant at) {
    return at.isAfter(from) && at.isBefore(to);
  }

  public boolean allResources() {
    return resource.equals("*");
  }
}
