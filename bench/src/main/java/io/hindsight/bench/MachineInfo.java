package io.hindsight.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the figures were measured on. */
record MachineInfo(
    int nproc,
    String cpuModel,
    long memoryMiB,
    String javaVersion,
    String javaVm,
    String os,
    double loadAverageAtStart) {

  static MachineInfo current() {
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        procLine("/proc/cpuinfo", "model name").orElse("unknown"),
        procLine("/proc/meminfo", "MemTotal")
            .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024)
            .orElse(-1L),
        System.getProperty("java.runtime.version", System.getProperty("java.version")),
        System.getProperty("java.vm.name") + " (" + System.getProperty("java.vm.vendor") + ")",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static Optional<String> procLine(String file, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      return lines.stream()
          .filter(l -> l.startsWith(key))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
