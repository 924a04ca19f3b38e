package io.hindsight.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load average ({@code /proc/loadavg}: 1, 5 and 15 minutes), taken at the start and
 * end of each benchmark so the results say how busy the shared machine was while they ran.
 */
record LoadAverage(double one, double five, double fifteen) {
  static final LoadAverage UNKNOWN = new LoadAverage(-1, -1, -1);

  static LoadAverage now() {
    try {
      return parse(Files.readString(Path.of("/proc/loadavg")));
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  static LoadAverage parse(String procLoadavg) {
    String[] parts = procLoadavg.trim().split("\\s+");
    return new LoadAverage(
        Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
  }

  @Override
  public String toString() {
    return Stats.f1(one) + "/" + Stats.f1(five) + "/" + Stats.f1(fifteen);
  }

  /** Load at the start and at the end of one measured part. */
  record Span(LoadAverage start, LoadAverage end) {
    static Span from(LoadAverage start) {
      return new Span(start, now());
    }

    @Override
    public String toString() {
      return start.one() < 0 ? "unknown" : Stats.f1(start.one()) + " -> " + Stats.f1(end.one());
    }
  }
}
