package io.hindsight.restorer;

import java.util.Locale;

/** What happened to one object (under {@code --dry-run}: what would happen). */
public enum Outcome {
  CREATED("create"),
  UPDATED("update"),
  REPLACED("replace"),
  DELETED("delete"),
  WRITTEN("write"),
  SKIPPED("skip"),
  FAILED("fail");

  private final String verb;

  Outcome(String verb) {
    this.verb = verb;
  }

  /** {@code created}, or {@code would create} in a dry run. */
  public String describe(boolean dryRun) {
    return dryRun ? "would " + verb : name().toLowerCase(Locale.ROOT);
  }
}
