package io.hindsight.materializer;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * One {@link IcebergSink} per stream thread: processors (on their thread) and the thread's producer
 * (same thread) find the same sink by the calling thread.
 */
final class SinkRegistry {
  private final ConcurrentMap<Thread, IcebergSink> sinks = new ConcurrentHashMap<>();
  private final AtomicInteger created = new AtomicInteger();
  private final IntFunction<IcebergSink> factory;

  SinkRegistry(IntFunction<IcebergSink> factory) {
    this.factory = factory;
  }

  IcebergSink forCurrentThread() {
    return sinks.computeIfAbsent(
        Thread.currentThread(), t -> factory.apply(created.incrementAndGet()));
  }

  Optional<IcebergSink> ofCurrentThread() {
    return Optional.ofNullable(sinks.get(Thread.currentThread()));
  }

  Collection<IcebergSink> all() {
    return sinks.values();
  }

  /** Forgets the sinks of threads that ended (a replaced stream thread). */
  void forgetDeadThreads() {
    sinks.keySet().removeIf(t -> !t.isAlive());
  }
}
