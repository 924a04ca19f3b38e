package io.hindsight.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of another process: resident set size from {@code /proc/<pid>/status} (Linux), and the
 * Java heap from {@code jcmd <pid> GC.heap_info} (any collector: the generations' "used" summed).
 */
final class ProcessMemory {
  private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");
  private static final Pattern VM_HWM = Pattern.compile("(?m)^VmHWM:\\s+(\\d+)\\s+kB");
  private static final Pattern HEAP_USED =
      Pattern.compile("(?m)^\\s*(?!Metaspace)(\\S[^\\n]*?)\\s+total (\\d+)K, used (\\d+)K");
  private static final Pattern METASPACE_USED =
      Pattern.compile("(?m)^\\s*Metaspace\\s+used (\\d+)K, committed (\\d+)K");

  /** The heap as {@code GC.heap_info} reports it, in bytes. */
  record Heap(long usedBytes, long committedBytes, long metaspaceUsedBytes) {}

  private ProcessMemory() {}

  static long rssBytes(long pid) {
    return parseVmRss(status(pid));
  }

  /** The peak resident set size the process has reached so far (VmHWM). */
  static long peakRssBytes(long pid) {
    return kiloBytes(VM_HWM, "VmHWM", status(pid));
  }

  private static String status(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "status"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid + "/status", e);
    }
  }

  static long parseVmRss(String status) {
    return kiloBytes(VM_RSS, "VmRSS", status);
  }

  static long parseVmHwm(String status) {
    return kiloBytes(VM_HWM, "VmHWM", status);
  }

  private static long kiloBytes(Pattern line, String name, String status) {
    Matcher m = line.matcher(status);
    if (!m.find()) {
      throw new IllegalArgumentException("no " + name + " line in: " + status);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  static Heap parseHeapInfo(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    long used = 0;
    long committed = 0;
    boolean found = false;
    while (m.find()) {
      found = true;
      committed += Long.parseLong(m.group(2)) * 1024;
      used += Long.parseLong(m.group(3)) * 1024;
    }
    if (!found) {
      throw new IllegalArgumentException("no heap totals in: " + heapInfo);
    }
    Matcher meta = METASPACE_USED.matcher(heapInfo);
    long metaspace = meta.find() ? Long.parseLong(meta.group(1)) * 1024 : -1;
    return new Heap(used, committed, metaspace);
  }

  /** {@code GC.heap_info} of {@code pid}, or empty when {@code jcmd} is missing or fails. */
  static Optional<Heap> heap(long pid) {
    return jcmd(pid, "GC.heap_info").map(ProcessMemory::parseHeapInfo);
  }

  /** Runs a full collection in {@code pid}; false when jcmd is missing or fails. */
  static boolean fullGc(long pid) {
    return jcmd(pid, "GC.run").isPresent();
  }

  private static Optional<String> jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return Optional.empty();
    }
    List<String> args = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid), command));
    try {
      Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return Optional.of(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
