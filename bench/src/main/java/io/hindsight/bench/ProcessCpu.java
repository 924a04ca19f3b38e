package io.hindsight.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time this JVM has used, all threads together (the in-process broker and registry included): a
 * figure other processes' load does not inflate, unlike wall-clock time.
 */
final class ProcessCpu {
  private ProcessCpu() {}

  static long nanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    throw new IllegalStateException("this JVM does not report its process CPU time");
  }
}
