package io.hindsight.bench;

import java.util.List;
import java.util.Locale;

/** The little arithmetic of the benchmarks: medians, percentiles, a least-squares line. */
final class Stats {
  private Stats() {}

  /** y = intercept + slope × x, fitted by least squares. */
  record Line(double slope, double intercept) {
    double at(double x) {
      return intercept + slope * x;
    }
  }

  static Line fit(List<Double> xs, List<Double> ys) {
    if (xs.size() != ys.size() || xs.size() < 2) {
      throw new IllegalArgumentException("a line needs at least two points, got " + xs.size());
    }
    int n = xs.size();
    double mx = xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double my = ys.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (xs.get(i) - mx) * (ys.get(i) - my);
      sxx += (xs.get(i) - mx) * (xs.get(i) - mx);
    }
    double slope = sxy / sxx;
    return new Line(slope, my - slope * mx);
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static String f0(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
