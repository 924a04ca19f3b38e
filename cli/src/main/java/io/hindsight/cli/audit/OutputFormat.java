package io.hindsight.cli.audit;

/** What {@code -o} takes. */
public enum OutputFormat {
  text,
  json,
  yaml
}
