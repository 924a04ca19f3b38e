package io.hindsight.bench;

import java.io.PrintStream;

/** The table of the materialize benchmarks (the JSON is the result records themselves). */
final class MaterializeReport {
  static final double THROUGHPUT_GOAL = 0.4;

  private MaterializeReport() {}

  static void print(PrintStream out, MaterializeBench.Result m) {
    out.println();
    out.printf("Materialize slice (took %s s, load average %s)%n", Stats.f0(m.seconds()), m.load());
    if (m.throughput() != null) {
      throughput(out, m.throughput());
    }
    if (m.lag() != null) {
      lag(out, m.lag());
    }
    if (m.history() != null) {
      reads(out, m.history(), m.reads());
      storage(out, m.storage());
      partitioning(out, m.history(), m.reads());
    }
  }

  private static void throughput(PrintStream out, ThroughputBench.Result t) {
    ThroughputBench.Sizes s = t.objectSizes();
    out.println();
    out.printf(
        "1. Throughput: streams-app rows/s into Iceberg vs a raw Iceberg writer, same rows (N=%d"
            + " changes of %d objects, %s mix: object JSON mean %s KiB, p50 %s, p99 %s, max %s KiB;"
            + " %s MiB of records in %d partitions; commit interval %d ms)%n",
        t.changes(),
        t.objects(),
        t.mix(),
        Stats.f1(s.meanBytes() / 1024.0),
        Stats.f1(s.p50Bytes() / 1024.0),
        Stats.f1(s.p99Bytes() / 1024.0),
        Stats.f1(s.maxBytes() / 1024.0),
        Stats.f1(t.topicBytes() / 1048576.0),
        t.partitions(),
        t.commitIntervalMs());
    out.printf(
        "   %-7s %11s %9s %11s %8s %9s %11s %7s   %s%n",
        "round",
        "start-up s",
        "app s",
        "app rows/s",
        "commits",
        "raw s",
        "raw rows/s",
        "ratio",
        "load");
    for (int i = 0; i < t.appRuns().size(); i++) {
      ThroughputBench.Run a = t.appRuns().get(i);
      ThroughputBench.Run r = t.rawRuns().get(i);
      out.printf(
          "   %-7s %11s %9s %11s %8d %9s %11s %7s   %s%n",
          i < t.warmupRounds() ? i + " (w)" : Integer.toString(i),
          Stats.f1(a.startupSeconds()),
          Stats.f1(a.seconds()),
          Stats.f0(a.rowsPerSecond()),
          a.commits(),
          Stats.f1(r.seconds()),
          Stats.f0(r.rowsPerSecond()),
          Stats.f2(t.roundRatios().get(i)),
          a.load().start().one() < 0
              ? ""
              : Stats.f1(a.load().start().one()) + " -> " + Stats.f1(r.load().end().one()));
    }
    out.printf(
        "   %-7s %11s %9s %11s %8s %9s %11s %7s   goal >= %s: %s%n",
        "median",
        Stats.f1(t.appStartupSeconds()),
        "",
        Stats.f0(t.appRowsPerSecond()),
        "",
        "",
        Stats.f0(t.rawRowsPerSecond()),
        Stats.f2(t.ratio()),
        Stats.f2(THROUGHPUT_GOAL),
        t.ratio() >= THROUGHPUT_GOAL ? "MET" : "NOT MET");
    out.println(
        "   (w) = warm-up, not in the medians. The ratio uses the processing rate: rows / (Kafka"
            + " Streams RUNNING -> committed positions past every partition's last change), which"
            + " includes waiting for the last commit; start-up (Materializer.start -> RUNNING) is"
            + " apart. Raw: Rows.change + FanoutDataWriter + one append.");
  }

  private static void lag(PrintStream out, LagBench.Result l) {
    out.println();
    out.printf(
        "2. Change-to-queryable lag: %s changes/s sent (%s/s asked) for %s s after %s s of warm-up,"
            + " commit interval %d ms; %d changes measured%n",
        Stats.f0(l.sentPerSecond()),
        Stats.f0(l.targetPerSecond()),
        Stats.f0(l.seconds()),
        Stats.f0(l.warmupSeconds()),
        l.commitIntervalMs(),
        l.measuredChanges());
    out.printf(
        "   p50 %d ms   p99 %d ms   max %d ms   goal p99 <= commit interval + 2 s = %d ms: %s"
            + "   (load %s)%n",
        l.p50Millis(),
        l.p99Millis(),
        l.maxMillis(),
        l.goalMillis(),
        l.p99Millis() <= l.goalMillis() ? "MET" : "NOT MET",
        l.load());
  }

  private static void reads(PrintStream out, HistoryBuilder.Result h, StateReadBench.Result r) {
    out.println();
    out.printf(
        "3. State of namespace '%s' (%d objects) at %d random T in a %d-change history (%s h of"
            + " business time at %s changes/s, %d namespaces, %d objects, %d partitions; %d"
            + " checkpoints of %d rows); built in %s s (load %s)%n",
        r.bigNamespace(),
        h.bigObjects(),
        r.queries(),
        h.changes(),
        Stats.f1(h.spanHours()),
        Stats.f0(h.changesPerSecond()),
        h.namespaces(),
        h.objects(),
        h.partitions(),
        h.checkpoints(),
        h.checkpointRows(),
        Stats.f0(h.buildSeconds()),
        h.load());
    out.printf(
        "   %-13s %9s %8s %8s %14s %10s %9s   %s%n",
        "layout", "median s", "p95 s", "max s", "full replay s", "ratio", "answers", "load");
    for (StateReadBench.LayoutReads l : r.layouts()) {
      out.printf(
          "   %-13s %9s %8s %8s %14s %10s %9s   %s%n",
          l.layout(),
          Stats.f2(l.medianSeconds()),
          Stats.f2(l.p95Seconds()),
          Stats.f2(l.maxSeconds()),
          Stats.f2(l.replayMedianSeconds()),
          Stats.f1(l.replayRatio()) + "x",
          l.allMatch() ? "same" : "DIFFER",
          r.load());
    }
    StateReadBench.LayoutReads current = r.layouts().get(0);
    out.printf(
        "   goals (current layout): stateAt <= %s s warm: %s; >= %sx faster than a full replay:"
            + " %s%n",
        Stats.f0(StateReadBench.GOAL_SECONDS),
        current.medianSeconds() <= StateReadBench.GOAL_SECONDS ? "MET" : "NOT MET",
        Stats.f0(StateReadBench.GOAL_RATIO),
        current.replayRatio() >= StateReadBench.GOAL_RATIO ? "MET" : "NOT MET");
    out.printf(
        "   after 2 warm-up queries; ratio = median over %d T of full replay time / stateAt time at"
            + " the same T; answers: stateAt = the generator's model at every T and = the full"
            + " replay where replayed%n",
        r.replays());
  }

  private static void storage(PrintStream out, StorageFigures s) {
    out.println();
    out.printf(
        "4. Stored bytes of that history: changes %s MiB + checkpoints %s MiB of Parquet = %s MiB"
            + " for %s MiB of raw change JSON: %s bytes per raw JSON byte%n",
        mib(s.changesFileBytes()),
        mib(s.checkpointFileBytes()),
        mib(s.hindsightBytes()),
        mib(s.rawJsonBytes()),
        Stats.f2(s.perRawJsonByte()));
    out.printf(
        "   hourly full snapshots of every live object instead: %d snapshots, %s MiB of JSON, %s"
            + " MiB gzipped (ratio %s from %d of them gzipped for real)%n",
        s.hourlySnapshots(),
        mib(s.hourlyRawBytes()),
        mib(s.hourlyGzipBytes()),
        Stats.f2(s.gzipRatio()),
        s.gzipSampledSnapshots());
    out.printf(
        "   Hindsight / hourly snapshots: %s of their raw JSON, %s of their gzip; restore points:"
            + " every change (%d, any instant) vs %d (one an hour)%n",
        Stats.f2(s.versusHourlyRaw()),
        Stats.f2(s.versusHourlyGzip()),
        s.changes(),
        s.hourlySnapshots());
  }

  private static void partitioning(
      PrintStream out, HistoryBuilder.Result h, StateReadBench.Result r) {
    out.println();
    out.println(
        "5. Partitioning of changes (ADR 0004): the same history in both layouts, written and read"
            + " side by side");
    out.printf(
        "   %-13s %-55s %11s %6s %9s %10s %10s %10s%n",
        "layout", "spec", "write rows/s", "files", "MiB", "big ns s", "small ns s", "replay s");
    for (int i = 0; i < h.layouts().size(); i++) {
      HistoryBuilder.Written w = h.layouts().get(i);
      StateReadBench.LayoutReads l = r.layouts().get(i);
      out.printf(
          "   %-13s %-55s %11s %6d %9s %10s %10s %10s%n",
          w.layout(),
          w.spec(),
          Stats.f0(w.rowsPerSecond()),
          w.files(),
          mib(w.dataBytes()),
          Stats.f2(l.medianSeconds()),
          Stats.f2(l.smallNamespaceMedianSeconds()),
          Stats.f2(l.replayMedianSeconds()));
    }
    StateReadBench.LayoutReads a = r.layouts().get(0);
    StateReadBench.LayoutReads b = r.layouts().get(1);
    out.printf(
        "   %s / %s: write rate %s, big-namespace read %s, small-namespace read %s, full replay"
            + " %s (times: < 1 is faster)%n",
        b.layout(),
        a.layout(),
        Stats.f2(h.layouts().get(1).rowsPerSecond() / h.layouts().get(0).rowsPerSecond()),
        Stats.f2(b.medianSeconds() / a.medianSeconds()),
        Stats.f2(b.smallNamespaceMedianSeconds() / a.smallNamespaceMedianSeconds()),
        Stats.f2(b.replayMedianSeconds() / a.replayMedianSeconds()));
  }

  private static String mib(long bytes) {
    return Stats.f1(bytes / 1048576.0);
  }
}
