package io.hindsight.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's own arithmetic and parsing; no servers, no timing. */
class BenchHelpersTest {

  @Test
  void fitsALineAndTakesMediansAndPercentiles() {
    Stats.Line line = Stats.fit(List.of(10_000.0, 20_000.0, 40_000.0), List.of(60e6, 70e6, 90e6));
    assertThat(line.slope()).isCloseTo(1000.0, within(1e-6));
    assertThat(line.intercept()).isCloseTo(50e6, within(1e-3));
    assertThat(line.at(100_000)).isCloseTo(150e6, within(1e-3));
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(Stats.percentile(sorted, 0.5)).isEqualTo(5);
    assertThat(Stats.percentile(sorted, 0.99)).isEqualTo(10);
  }

  @Test
  void readsRssAndTheHeapOfG1AndSerialCollectors() {
    assertThat(ProcessMemory.parseVmRss("Name:\tjava\nVmHWM:\t  300 kB\nVmRSS:\t  123456 kB\n"))
        .isEqualTo(123456L * 1024);
    assertThat(ProcessMemory.parseVmHwm("Name:\tjava\nVmHWM:\t  300 kB\nVmRSS:\t  123456 kB\n"))
        .isEqualTo(300L * 1024);
    String g1 =
        """
         garbage-first heap   total 262144K, used 11186K [0x00000000f0000000, 0x0000000100000000)
          region size 1024K, 10 young (10240K), 0 survivors (0K)
         Metaspace       used 74K, committed 320K, reserved 1114112K
          class space    used 3K, committed 128K, reserved 1048576K
        """;
    assertThat(ProcessMemory.parseHeapInfo(g1))
        .isEqualTo(new ProcessMemory.Heap(11186L * 1024, 262144L * 1024, 74L * 1024));
    String serial =
        """
         def new generation   total 78656K, used 15458K [0x00000000f0000000, 0x00000000f5550000)
          eden space 69952K,  22% used [0x00000000f0000000, 0x00000000f0f188b0, 0x00000000f4450000)
          from space 8704K,   0% used [0x00000000f4450000, 0x00000000f4450000, 0x00000000f4cd0000)
         tenured generation   total 174784K, used 100K [0x00000000f5550000, 0x0000000100000000)
           the space 174784K,   0% used [0x00000000f5550000, 0x00000000f5550000, 0x0000000100000000)
         Metaspace       used 128K, committed 320K, reserved 1114112K
        """;
    assertThat(ProcessMemory.parseHeapInfo(serial))
        .isEqualTo(new ProcessMemory.Heap(15558L * 1024, 253440L * 1024, 128L * 1024));
  }

  @Test
  void drawsTheSameObjectsEveryTimeWithTheStatedSizes() {
    ConfigMapMix mix = ConfigMapMix.realistic();
    assertThat(mix.object("ns", 42)).isEqualTo(mix.object("ns", 42));
    int large = 0;
    for (int i = 0; i < 2000; i++) {
      int bytes = mix.object("ns", i).getData().values().stream().mapToInt(String::length).sum();
      assertThat(bytes).isBetween(900, 210 * 1024);
      large += bytes > 40 * 1024 ? 1 : 0;
    }
    assertThat(large).isBetween(30, 90); // 3% of 2000
    assertThat(ConfigMapMix.objectName(7)).isEqualTo("bench-cm-000007");
  }

  @Test
  void readsTheWatchersJvmOptionsFile() {
    assertThat(
            WatcherJvmOptions.parse(
                "# heap\n-Xmx100m   # the cap\n\n  -XX:+UseSerialGC -Xss512k\n"))
        .containsExactly("-Xmx100m", "-XX:+UseSerialGC", "-Xss512k");
  }

  @Test
  void ratesCountEndToEndAndFromTheFirstReadableRecord() {
    long s = 1_000_000_000L;
    // started at 0, 100 of 1000 records readable at 2 s, the last at 5 s
    PublishBench.Run run = PublishBench.Run.of("w", 1, 1000, 1048576, 0, 2 * s, 5 * s, 100);
    assertThat(run.recordsPerSecond()).isCloseTo(200.0, within(1e-9));
    assertThat(run.steadyRecordsPerSecond()).isCloseTo(300.0, within(1e-9));
    assertThat(run.firstRecordSeconds()).isCloseTo(2.0, within(1e-9));
    assertThat(run.mibPerSecond()).isCloseTo(0.2, within(1e-9));
  }

  @Test
  void cpuPerRecordGivesTheTwoBoundsOnTheRatio() {
    // 1000 records each: the watcher's JVM 0.6 ms per record, the API server 0.1 ms; the raw
    // producer 0.2 ms; the bare list 0.3 ms in the JVM and 0.1 ms in the API server
    PublishBench.Cpu watcher = new PublishBench.Cpu(1000, 0.6, 0.1);
    PublishBench.Cpu raw = new PublishBench.Cpu(1000, 0.2, 0.0);
    PublishBench.Cpu floor = new PublishBench.Cpu(1000, 0.3, 0.1);
    assertThat(watcher.jvmMsPerRecord()).isCloseTo(0.6, within(1e-9));
    assertThat(watcher.serverMsPerRecord()).isCloseTo(0.1, within(1e-9));
    PublishBench.CpuFigures cpu =
        PublishBench.CpuFigures.of(List.of(watcher), List.of(raw), List.of(floor));
    // 0.2 / 0.1: the API server alone would allow twice the raw producer's rate
    assertThat(cpu.serverBound()).isCloseTo(2.0, within(1e-9));
    // 0.2 / (0.3 + 0.1 + 0.2): listing and then producing
    assertThat(cpu.listAndProduceBound()).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(cpu.floorJvmMs()).isCloseTo(0.3, within(1e-9));
  }

  @Test
  void parsesTheCommandLine() {
    BenchMain.Options options =
        BenchMain.Options.parse(
            new String[] {"memory", "--memory-points=40000,10000", "--no-save"}, Path.of("/r"));
    assertThat(options.runs("memory")).isTrue();
    assertThat(options.runs("publish")).isFalse();
    assertThat(options.memoryPoints()).containsExactly(10_000, 40_000);
    assertThat(options.save()).isFalse();
    assertThat(BenchMain.Options.parse(new String[0], Path.of("/r")).results())
        .isEqualTo(Path.of("/r/bench/results"));
    assertThatThrownBy(() -> BenchMain.Options.parse(new String[] {"bogus"}, Path.of("/r")))
        .hasMessageContaining("usage");
  }
}
