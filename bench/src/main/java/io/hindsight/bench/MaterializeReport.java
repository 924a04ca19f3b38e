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
        "4. Throughput: streams-app rows/s into Iceberg vs a raw Iceberg writer, same rows (N=%d"
            + " changes of %d objects, %s mix: object JSON mean %s KiB, p50 %s, p99 %s, max %s KiB;"
            + " %s MiB of records in %d partitions; commit interval %d ms; %d stream thread%s, %d MiB record cache)%n",
        t.changes(),
        t.objects(),
        t.mix(),
        Stats.f1(s.meanBytes() / 1024.0),
        Stats.f1(s.p50Bytes() / 1024.0),
        Stats.f1(s.p99Bytes() / 1024.0),
        Stats.f1(s.maxBytes() / 1024.0),
        Stats.f1(t.topicBytes() / 1048576.0),
        t.partitions(),
        t.commitIntervalMs(),
        t.threads(),
        t.threads() == 1 ? "" : "s",
        t.cacheMaxBytes() / 1048576);
    out.printf(
        "   %-7s %10s %11s %11s %11s %8s %10s %7s %7s %11s %7s %7s %9s   %s%n",
        "round",
        "start-up s",
        "processed s",
        "committed s",
        "app rows/s",
        "commits",
        "commit ms",
        "app cpu",
        "raw s",
        "raw rows/s",
        "raw cpu",
        "ratio",
        "cpu ratio",
        "load");
    for (int i = 0; i < t.appRuns().size(); i++) {
      ThroughputBench.Run a = t.appRuns().get(i);
      ThroughputBench.Run r = t.rawRuns().get(i);
      out.printf(
          "   %-7s %10s %11s %11s %11s %8d %10s %7s %7s %11s %7s %7s %9s   %s%n",
          i < t.warmupRounds() ? i + " (w)" : Integer.toString(i),
          Stats.f1(a.startupSeconds()),
          Stats.f1(a.processedSeconds()),
          Stats.f1(a.seconds()),
          Stats.f0(a.rowsPerSecond()),
          a.commits(),
          Stats.f0(a.commitLatencyAvgMs()) + "/" + Stats.f0(a.commitLatencyMaxMs()),
          Stats.f1(a.cpuSeconds()),
          Stats.f1(r.seconds()),
          Stats.f0(r.rowsPerSecond()),
          Stats.f1(r.cpuSeconds()),
          Stats.f2(t.roundRatios().get(i)),
          Stats.f2(t.roundCpuRatios().get(i)),
          new LoadAverage.Span(a.load().start(), r.load().end()));
    }
    out.printf(
        "   %-7s %10s %11s %11s %11s %8s %10s %7s %7s %11s %7s %7s %9s   goal >= %s: %s%n",
        "median",
        Stats.f1(t.appStartupSeconds()),
        "",
        "",
        Stats.f0(t.appRowsPerSecond()),
        "",
        "",
        "",
        "",
        Stats.f0(t.rawRowsPerSecond()),
        "",
        Stats.f2(t.ratio()),
        Stats.f2(t.cpuRatio()),
        Stats.f2(THROUGHPUT_GOAL),
        t.ratio() >= THROUGHPUT_GOAL ? "MET" : "NOT MET");
    out.println(
        "   (w) = warm-up, not in the medians. The ratio uses app rows/s = rows / committed s"
            + " (Kafka Streams RUNNING -> committed positions past every partition's last change),"
            + " which includes waiting for the last commit; processed s: RUNNING -> every record"
            + " processed (JMX process-total); commit ms: Kafka Streams commit latency avg/max,"
            + " Iceberg commit included; start-up (Materializer.start -> RUNNING) is apart. Raw:"
            + " Rows.change + FanoutDataWriter + one append. cpu: CPU seconds of this JVM (broker"
            + " included) during the run; cpu ratio = raw cpu / app cpu, which other processes'"
            + " load does not skew.");
  }

  private static void lag(PrintStream out, LagBench.Result l) {
    out.println();
    out.printf(
        "5. Change-to-queryable lag: %s changes/s sent (%s/s asked) for %s s after %s s of warm-up,"
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
        "6. State of namespace '%s' (%d objects) at %d random T in a %d-change history (%s h of"
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
        "   build: generating %s s, checkpoints %s s, waiting for the layout writers %s s (they"
            + " write side by side, each on a thread of its own)%n",
        Stats.f0(h.generateSeconds()),
        Stats.f0(h.checkpointSeconds()),
        Stats.f0(h.waitForWritersSeconds()));
    out.printf(
        "   %-17s %9s %8s %8s %10s %14s %7s %10s %8s%n",
        "layout",
        "median s",
        "p95 s",
        "max s",
        "CPU s med",
        "full replay s",
        "ratio",
        "CPU ratio",
        "answers");
    for (StateReadBench.LayoutReads l : r.layouts()) {
      out.printf(
          "   %-17s %9s %8s %8s %10s %14s %7s %10s %8s%n",
          l.layout(),
          Stats.f2(l.medianSeconds()),
          Stats.f2(l.p95Seconds()),
          Stats.f2(l.maxSeconds()),
          Stats.f2(l.medianCpuSeconds()),
          Stats.f2(l.replayMedianSeconds()),
          Stats.f1(l.replayRatio()) + "x",
          Stats.f1(l.replayCpuRatio()) + "x",
          l.allMatch() ? "same" : "DIFFER");
    }
    StateReadBench.LayoutReads current = r.layouts().get(0);
    out.printf(
        "   goals (%s layout): stateAt <= %s s warm: %s; >= %sx faster than a full replay:"
            + " %s%n",
        current.layout(),
        Stats.f0(StateReadBench.GOAL_SECONDS),
        current.medianSeconds() <= StateReadBench.GOAL_SECONDS ? "MET" : "NOT MET",
        Stats.f0(StateReadBench.GOAL_RATIO),
        current.replayRatio() >= StateReadBench.GOAL_RATIO ? "MET" : "NOT MET");
    out.printf(
        "   after 2 warm-up queries; ratio = median over %d T of full replay time / stateAt time at"
            + " the same T (CPU: the same with this thread's CPU time); answers: stateAt = the"
            + " generator's model at every T and = the full replay where replayed; reads took %s s,"
            + " load %s%n",
        r.replays(), Stats.f0(r.seconds()), r.load());
  }

  private static void storage(PrintStream out, StorageFigures s) {
    out.println();
    out.printf(
        "7. Stored bytes of that history: changes %s MiB + checkpoints %s MiB of Parquet = %s MiB"
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
        "8. Partitioning of changes (ADR 0004): the same history in each layout, written and read"
            + " side by side");
    out.printf(
        "   %-17s %-55s %9s %10s %6s %13s %8s %9s %10s %9s%n",
        "layout",
        "spec",
        "rows/CPU-s",
        "rows/busy-s",
        "files",
        "files/commit",
        "MiB",
        "big ns s",
        "small ns s",
        "replay s");
    for (int i = 0; i < h.layouts().size(); i++) {
      HistoryBuilder.Written w = h.layouts().get(i);
      StateReadBench.LayoutReads l = r.layouts().get(i);
      out.printf(
          "   %-17s %-55s %9s %10s %6d %13s %8s %9s %10s %9s%n",
          w.layout(),
          w.spec(),
          Stats.f0(w.rowsPerCpuSecond()),
          Stats.f0(w.rowsPerBusySecond()),
          w.files(),
          Stats.f1(w.filesPerCommit().meanFilesPerCommit())
              + " (max "
              + w.filesPerCommit().maxFilesPerCommit()
              + ")",
          mib(w.dataBytes()),
          Stats.f2(l.medianSeconds()),
          Stats.f2(l.smallNamespaceMedianSeconds()),
          Stats.f2(l.replayMedianSeconds()));
    }
    out.printf(
        "   appends: "
            + (h.appends() == HistoryBuilder.Appends.DAY
                ? "one per day, rows sorted (as compaction leaves old history)"
                : "one per commit interval, rows sorted within it (as the app commits, before"
                    + " compaction)")
            + "%n   files = data files of the built table; files/commit = distinct"
            + " partitions the changes of one commit interval (%d ms of business time) touch: the"
            + " new files each streams-app commit writes before compaction%n",
        StreamsAppRun.DEFAULTS.commitInterval().toMillis());
    StateReadBench.LayoutReads a = r.layouts().get(0);
    for (int i = 1; i < r.layouts().size(); i++) {
      StateReadBench.LayoutReads b = r.layouts().get(i);
      out.printf(
          "   %s / %s: write rate (rows per CPU second) %s, big-namespace read %s, small-namespace"
              + " read %s, full replay %s (read times: < 1 is faster)%n",
          b.layout(),
          a.layout(),
          Stats.f2(h.layouts().get(i).rowsPerCpuSecond() / h.layouts().get(0).rowsPerCpuSecond()),
          Stats.f2(b.medianSeconds() / a.medianSeconds()),
          Stats.f2(b.smallNamespaceMedianSeconds() / a.smallNamespaceMedianSeconds()),
          Stats.f2(b.replayMedianSeconds() / a.replayMedianSeconds()));
    }
  }

  private static String mib(long bytes) {
    return Stats.f1(bytes / 1048576.0);
  }
}
