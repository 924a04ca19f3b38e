package io.hindsight.testing.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server process (etcd, kube-apiserver, the registry, …) whose output is appended to a log
 * file.
 */
public final class ChildProcess {
  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

  private final String name;
  private final List<String> command;
  private final Path log;
  private final Duration grace;
  private Process process;

  private ChildProcess(String name, List<String> command, Path log, Duration grace) {
    this.name = name;
    this.command = List.copyOf(command);
    this.log = log;
    this.grace = grace;
  }

  /**
   * Starts {@code command}, appending stdout and stderr to {@code log}; {@link #stop()} gives it
   * {@code grace} between SIGTERM and SIGKILL.
   */
  public static ChildProcess start(String name, List<String> command, Path log, Duration grace) {
    ChildProcess child = new ChildProcess(name, command, log, grace);
    child.start();
    return child;
  }

  /** Starts the same command again (after {@link #stop()}). */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is running already");
    }
    stopOrphan();
    try {
      Files.createDirectories(log.getParent());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
    LOG.debug("{} started, pid {}, log {}", name, process.pid(), log);
    try {
      Files.writeString(pidFile(), Long.toString(process.pid()));
    } catch (IOException e) {
      LOG.debug("cannot write {}", pidFile(), e);
    }
  }

  /**
   * The whole command line: {@code /proc/PID/cmdline} where there is one (the JDK's {@code
   * ProcessHandle.Info} cuts it at 4096 characters, before a long classpath ends).
   */
  public static String commandLine(ProcessHandle process) {
    Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
    try {
      return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return process.info().commandLine().orElse("");
    }
  }

  /** {@code <log>.pid}: the pid of the running process, so a later start can find an orphan. */
  private Path pidFile() {
    return log.resolveSibling(log.getFileName() + ".pid");
  }

  /**
   * A process of an earlier run whose parent was killed without a chance to stop it (SIGKILL) still
   * holds its ports and data: stop it before starting again. Only a process whose command line
   * names this log's folder is taken for ours.
   */
  private void stopOrphan() {
    Path pidFile = pidFile();
    if (!Files.exists(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> commandLine(h).contains(log.getParent().toString()))
          .ifPresent(
              orphan -> {
                LOG.warn("stopping {} left running by an earlier run (pid {})", name, pid);
                orphan.destroy();
                try {
                  orphan.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                  orphan.destroyForcibly();
                  try {
                    orphan.onExit().get(10, TimeUnit.SECONDS);
                  } catch (Exception ignored) {
                    // gone or stuck; starting will tell
                  }
                }
              });
      Files.deleteIfExists(pidFile);
    } catch (IOException | NumberFormatException e) {
      LOG.debug("ignoring unreadable {}", pidFile, e);
    }
  }

  /** SIGTERM, then SIGKILL after the grace period; returns when the process is gone. */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    try {
      p.destroy();
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.debug("{} (pid {}) still running {} after SIGTERM; killing it", name, p.pid(), grace);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    LOG.debug("{} stopped", name);
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      LOG.debug("cannot delete {}", pidFile(), e);
    }
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Fails with the end of the log when the process has exited. */
  public void checkAlive() {
    if (!isAlive()) {
      throw new IllegalStateException(
          name + " exited with status " + process.exitValue() + "; " + logTail());
    }
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** CPU time the process has used so far (user and system); zero once it is gone. */
  public synchronized Duration cpuTime() {
    return process == null
        ? Duration.ZERO
        : process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Resident set size from /proc, in KiB; -1 where unknown. */
  public long rssKiB() {
    long pid = pid();
    if (pid < 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or already gone
    }
    return -1;
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  /** "last lines of LOG:" followed by the last 40 lines, for exception messages. */
  public String logTail() {
    return "last lines of " + log + ":\n" + tail(log, 40);
  }

  public static String tail(Path file, int lines) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int size = (int) Math.min(length, 16 * 1024);
      byte[] bytes = new byte[size];
      in.seek(length - size);
      in.readFully(bytes);
      List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
