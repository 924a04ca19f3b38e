package io.hindsight.watcher;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees every request of the watcher's Kubernetes client and notices a list of a resource whose
 * informer has already delivered its initial list: fabric8 relists silently after a 410 Gone or a
 * failed watch, and whatever changed in between was never seen as it happened. Such a relist opens
 * a gap on that informer, closed once it watches again.
 */
final class RelistDetector implements Interceptor {
  private static final Logger LOG = LoggerFactory.getLogger(RelistDetector.class);
  private final Map<String, TrackedInformer> byListPath = new ConcurrentHashMap<>();
  private final Clock clock;

  RelistDetector(Clock clock) {
    this.clock = clock;
  }

  static String listPath(ResourceType type) {
    return (type.group().isEmpty() ? "/api/" : "/apis/" + type.group() + "/")
        + type.version()
        + "/"
        + type.plural();
  }

  void track(TrackedInformer tracked) {
    byListPath.put(listPath(tracked.type), tracked);
  }

  void untrack(ResourceType type) {
    byListPath.remove(listPath(type));
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!"GET".equals(request.method())) {
      return;
    }
    String query = request.uri().getRawQuery();
    if (query != null && query.contains("watch=true")) {
      return;
    }
    TrackedInformer tracked = byListPath.get(request.uri().getRawPath());
    if (tracked != null && tracked.delivered && tracked.gapFrom == null) {
      tracked.gapFrom =
          tracked.lastSeenWatching != null ? tracked.lastSeenWatching : clock.instant();
      tracked.gapReason = "WATCH_RELIST (410 Gone or a failed watch)";
      LOG.warn(
          "informer of {} relists: changes since {} were not watched; recording a gap",
          tracked.type,
          tracked.gapFrom);
    }
  }
}
