package io.hindsight.watcher;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one queue between informer callbacks and the publisher. Stamping and enqueuing happen under
 * one lock, so the queue is ordered by observation time: when the publisher takes an observation
 * stamped T, everything observed before T is already behind it. Bounded, so a stalled broker slows
 * the informers down instead of filling the heap: beyond {@code highWater} observations, informers
 * are held before they take in the next object ({@link #awaitRoom()}, called from their item
 * store), which pauses reading their list or watch; {@code capacity} is the hard limit.
 */
final class ObservationQueue implements SlimItemStore.Backpressure {
  private final BlockingQueue<Observation.Stamped> queue;
  private final int highWater;
  private final Clock clock;
  private final Object room = new Object();
  private volatile boolean closed;
  private Instant last = Instant.EPOCH;

  ObservationQueue(int capacity, Clock clock) {
    this(capacity, capacity, clock);
  }

  ObservationQueue(int capacity, int highWater, Clock clock) {
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.highWater = highWater;
    this.clock = clock;
  }

  /**
   * Waits while {@code highWater} or more observations wait for the publisher (returns at once once
   * closed). Informers call it before they take in an object.
   */
  @Override
  public void awaitRoom() {
    if (queue.size() < highWater) {
      return;
    }
    synchronized (room) {
      while (queue.size() >= highWater && !closed) {
        try {
          room.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Releases informers held by {@link #awaitRoom()}, for good: the watcher is stopping. */
  void close() {
    closed = true;
    synchronized (room) {
      room.notifyAll();
    }
  }

  /** Stamps and enqueues; waits while the queue is full. */
  void put(Observation observation) {
    while (!tryPut(observation)) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while queueing an observation", e);
      }
    }
  }

  /**
   * Stamps and enqueues unless the queue is full; never blocks. Stamping and enqueuing share one
   * lock, so queue order is stamp order.
   */
  boolean tryPut(Observation observation) {
    synchronized (this) {
      Instant now = clock.instant();
      Instant at = now.isAfter(last) ? now : last.plusNanos(1000);
      if (!queue.offer(new Observation.Stamped(at, observation))) {
        return false;
      }
      last = at;
      return true;
    }
  }

  /** Waits up to {@code maxWaitMs} for a first observation, then takes what else is there. */
  int drain(List<Observation.Stamped> into, int max, long maxWaitMs) throws InterruptedException {
    Observation.Stamped first = queue.poll(maxWaitMs, TimeUnit.MILLISECONDS);
    if (first == null) {
      return 0;
    }
    into.add(first);
    int taken = 1 + queue.drainTo(into, max - 1);
    synchronized (room) {
      room.notifyAll();
    }
    return taken;
  }

  /**
   * Waits up to {@code lingerMs} for a first observation, then goes on taking observations until
   * {@code max} are taken or {@code lingerMs} have passed since the first: the publisher's batch,
   * one Kafka transaction. Informers held by {@link #awaitRoom()} are let go as room is made.
   */
  int gather(List<Observation.Stamped> into, int max, long lingerMs) throws InterruptedException {
    int taken = drain(into, max, lingerMs);
    if (taken == 0) {
      return 0;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMs);
    while (taken < max) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      Observation.Stamped next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        break;
      }
      into.add(next);
      taken += 1 + queue.drainTo(into, max - taken - 1);
      synchronized (room) {
        room.notifyAll();
      }
    }
    return taken;
  }

  int size() {
    return queue.size();
  }
}
