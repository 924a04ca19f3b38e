package io.hindsight.watcher;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/** The steps of a start, timed for the log (they run in parallel), and their results. */
final class StartupSteps {
  private final Map<String, Long> took = new ConcurrentHashMap<>();

  <T> Supplier<T> timed(String step, Supplier<T> work) {
    return () -> {
      long t0 = System.nanoTime();
      try {
        return work.get();
      } finally {
        took.put(step, (System.nanoTime() - t0) / 1_000_000);
      }
    };
  }

  <A, T> Function<A, T> timed(String step, Function<A, T> work) {
    return a -> timed(step, () -> work.apply(a)).get();
  }

  /** The result of a step, with the step's own exception when it failed. */
  static <T> T await(CompletableFuture<T> step) {
    try {
      return step.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /** {@code step N ms, ...} in name order. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(took)
        .forEach(
            (step, ms) ->
                out.append(out.length() == 0 ? "" : ", ")
                    .append(step)
                    .append(' ')
                    .append(ms)
                    .append(" ms"));
    return out.toString();
  }
}
