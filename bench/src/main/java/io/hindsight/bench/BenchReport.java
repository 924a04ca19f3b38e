package io.hindsight.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Everything one bench run measured; printed as a table and written as JSON. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BenchReport(
    String startedAt,
    double totalSeconds,
    String command,
    MachineInfo machine,
    String kafka,
    String kubeApiServer,
    LoadAverage.Span load,
    PublishBench.Result publish,
    MemoryBench.Result memory,
    RestoreBench.Result restore,
    MaterializeBench.Result materialize) {

  static final double PUBLISH_GOAL = 0.5;

  Path writeJson(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(startedAt.replace(':', '-') + ".json");
    new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), this);
    return file;
  }

  void print(PrintStream out) {
    out.println();
    out.printf(
        "Hindsight benchmarks, %s: %d cores (%s), %d MiB, Java %s; took %s s; load average %s%n",
        startedAt,
        machine.nproc(),
        machine.cpuModel(),
        machine.memoryMiB(),
        machine.javaVersion(),
        Stats.f0(totalSeconds),
        load);
    if (publish != null) {
      printPublish(out);
    }
    if (memory != null) {
      printMemory(out);
    }
    if (restore != null) {
      restore.print(out);
    }
    if (materialize != null) {
      MaterializeReport.print(out, materialize);
    }
    out.println();
  }

  private void printPublish(PrintStream out) {
    PublishBench.Result p = publish;
    PublishBench.RecordSizes s = p.recordSizes();
    out.println();
    out.printf(
        "1. Publish rate: watcher vs raw KafkaProducer, same records (N=%d ConfigMaps, %s mix;"
            + " records mean %s KiB, p50 %s, p99 %s, max %s KiB)%n",
        p.objects(),
        p.mix(),
        Stats.f1(s.meanBytes() / 1024.0),
        Stats.f1(s.p50Bytes() / 1024.0),
        Stats.f1(s.p99Bytes() / 1024.0),
        Stats.f1(s.maxBytes() / 1024.0));
    String row = "   %-6s %9s %7s %9s %9s %9s %9s %11s %7s %7s %7s%n";
    out.printf(
        row,
        "",
        "watcher",
        "MiB/s",
        "steady",
        "1st rec",
        "raw",
        "steady",
        "bare list",
        "ratio",
        "steady",
        "floor");
    out.printf(
        row,
        "round",
        "changes/s",
        "",
        "/s",
        "s",
        "records/s",
        "/s",
        "objects/s",
        "",
        "ratio",
        "ratio");
    for (int i = 0; i < p.watcherRuns().size(); i++) {
      PublishBench.Run w = p.watcherRuns().get(i);
      PublishBench.Run r = p.rawRuns().get(i);
      PublishBench.Run f = p.listFloorRuns().get(i);
      out.printf(
          row,
          w.round() < p.warmupRounds() ? w.round() + " (w)" : Integer.toString(w.round()),
          Stats.f0(w.recordsPerSecond()),
          Stats.f1(w.mibPerSecond()),
          Stats.f0(w.steadyRecordsPerSecond()),
          Stats.f2(w.firstRecordSeconds()),
          Stats.f0(r.recordsPerSecond()),
          Stats.f0(r.steadyRecordsPerSecond()),
          Stats.f0(f.recordsPerSecond()),
          Stats.f2(p.roundRatios().get(i)),
          Stats.f2(p.roundSteadyRatios().get(i)),
          Stats.f2(p.roundFloorRatios().get(i)));
    }
    out.printf(
        row,
        "median",
        Stats.f0(p.watcherRecordsPerSecond()),
        Stats.f1(p.watcherMibPerSecond()),
        Stats.f0(p.watcherSteadyRecordsPerSecond()),
        Stats.f2(p.watcherFirstRecordSeconds()),
        Stats.f0(p.rawRecordsPerSecond()),
        Stats.f0(p.rawSteadyRecordsPerSecond()),
        Stats.f0(p.listFloorRecordsPerSecond()),
        Stats.f2(p.ratio()),
        Stats.f2(p.steadyRatio()),
        Stats.f2(p.floorRatio()));
    out.printf(
        "   end to end (from Watcher.start, start-up included; what a user waits for): ratio %s"
            + "   goal >= %s: %s%n",
        Stats.f2(p.ratio()), Stats.f2(PUBLISH_GOAL), p.ratio() >= PUBLISH_GOAL ? "MET" : "NOT MET");
    out.printf(
        "   steady state (from each side's first readable record; the watcher's first came after"
            + " %s s): ratio %s   goal >= %s: %s%n",
        Stats.f2(p.watcherFirstRecordSeconds()),
        Stats.f2(p.steadyRatio()),
        Stats.f2(PUBLISH_GOAL),
        p.steadyRatio() >= PUBLISH_GOAL ? "MET" : "NOT MET");
    out.printf(
        "   floor: a bare fabric8 informer only lists the same objects at %s/s, %s of the raw"
            + " producer's rate: no list/watch watcher can do better end to end here%n",
        Stats.f0(p.listFloorRecordsPerSecond()), Stats.f2(p.floorRatio()));
    PublishBench.CpuFigures cpu = p.cpu();
    out.printf(
        "   CPU ms per record: watcher side %s (this JVM: watcher, broker, consumer) + %s (etcd and"
            + " kube-apiserver serving the list); raw producer %s (+ %s); bare list %s + %s%n",
        Stats.f3(cpu.watcherJvmMs()),
        Stats.f3(cpu.watcherServerMs()),
        Stats.f3(cpu.rawJvmMs()),
        Stats.f3(cpu.rawServerMs()),
        Stats.f3(cpu.floorJvmMs()),
        Stats.f3(cpu.floorServerMs()));
    out.printf(
        "   bounds from CPU (both sides CPU-bound on these cores): a watcher costing nothing itself"
            + " could reach %s (raw producer's CPU over the API server's); one that lists like the"
            + " bare informer and then writes like the raw producer at most %s%n",
        Stats.f2(cpu.serverBound()), Stats.f2(cpu.listAndProduceBound()));
    out.printf(
        "   (w) = warm-up, not in the medians. ConfigMaps were created through fabric8 at %s/s.%n",
        Stats.f0(p.createPerSecond()));
  }

  private void printMemory(PrintStream out) {
    MemoryBench.Result m = memory;
    out.println();
    out.printf(
        "2. Memory per tracked object: watcher process (%s) vs a bare fabric8 informer"
            + " (%s ConfigMaps, mean JSON %s B)%n",
        m.javaCommand(), m.mix(), Stats.f0(m.meanObjectJsonBytes()));
    out.printf(
        "   %-8s %9s %8s %8s %9s %9s %9s %10s %10s%n",
        "objects",
        "publish s",
        "RSS MiB",
        "peak RSS",
        "heap used",
        "committed",
        "live heap",
        "infor. RSS",
        "infor. live");
    for (MemoryBench.Point point : m.points()) {
      out.printf(
          "   %-8d %9s %8s %8s %9s %9s %9s %10s %10s%n",
          point.objects(),
          point.watcherAlive() ? Stats.f1(point.publishSeconds()) : "DIED",
          mib(point.watcher().rssBytes()),
          mib(point.watcher().rssPeakBytes()),
          mib(point.watcher().heapUsedBytes()),
          mib(point.watcher().heapCommittedBytes()),
          mib(point.watcher().heapLiveBytes()),
          point.informerAlive() ? mib(point.informer().rssBytes()) : "DIED",
          mib(point.informer().heapLiveBytes()));
      if (!point.watcherAlive()) {
        out.printf("   watcher at %d objects: %s%n", point.objects(), point.watcherFailure());
      }
      if (!point.informerAlive()) {
        out.printf(
            "   bare informer at %d objects: %s%n", point.objects(), point.informerFailure());
      }
    }
    out.printf(
        "   per object (slope): watcher live heap %s B, bare informer live heap %s B"
            + "   (RSS slopes %s B and %s B: RSS follows heap sizing, capped by -Xmx)%n",
        Stats.f0(m.watcherLiveHeap().bytesPerObject()),
        Stats.f0(m.informerLiveHeap().bytesPerObject()),
        Stats.f0(m.watcherRss().bytesPerObject()),
        Stats.f0(m.informerRss().bytesPerObject()));
    out.printf(
        "   ratio: watcher live heap per object / bare informer's = %s; / object JSON size = %s%n",
        Stats.f2(m.liveHeapRatioToInformer()), Stats.f2(m.liveHeapPerObjectOverJson()));
    if (m.extrapolated()) {
      out.printf(
          "   at %d objects (EXTRAPOLATED): live heap %s MiB + non-heap %s MiB = RSS of at least %s"
              + " MiB   goal RSS <= 256 MiB: %s%n",
          m.goalObjects(),
          Stats.f0(m.watcherLiveHeap().atGoalMiB()),
          Stats.f0(m.nonHeapMiB()),
          Stats.f0(m.rssAtGoalMiB()),
          m.withinGoal() ? "MET" : "NOT MET");
    } else {
      out.printf(
          "   at %d objects (measured): RSS %s MiB (peak during start-up %s MiB)   goal RSS <= 256"
              + " MiB: %s%n",
          m.goalObjects(),
          Stats.f0(m.rssAtGoalMiB()),
          Stats.f0(m.rssPeakAtGoalMiB()),
          m.withinGoal() ? "MET" : "NOT MET");
    }
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "n/a" : Stats.f1(bytes / 1048576.0);
  }
}
