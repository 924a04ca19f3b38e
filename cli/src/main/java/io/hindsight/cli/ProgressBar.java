package io.hindsight.cli;

import io.hindsight.restorer.ObjectResult;
import io.hindsight.restorer.ProgressListener;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/** A one-line progress bar on a terminal: {@code [=========> ] 120/400 objects}. */
final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final AtomicInteger done = new AtomicInteger();
  private volatile int total;
  private volatile long lastDrawn;

  ProgressBar(PrintStream out) {
    this.out = out;
  }

  @Override
  public void planned(int objects) {
    total = objects;
    draw(0);
  }

  @Override
  public void done(ObjectResult result) {
    int n = done.incrementAndGet();
    long now = System.nanoTime();
    if (n == total || now - lastDrawn > 100_000_000L) {
      lastDrawn = now;
      draw(n);
    }
  }

  synchronized void draw(int n) {
    int filled = total == 0 ? WIDTH : Math.min(WIDTH, n * WIDTH / total);
    String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
    out.print("\r[" + bar + "] " + n + "/" + total + " objects");
    if (n >= total) {
      out.println();
    }
    out.flush();
  }
}
