package io.hindsight.restorer;

import java.util.Locale;

/** What to do with an object that exists in the target already ({@code --existing-policy}). */
public enum ExistingPolicy {
  /** Leave it as it is (skipped); the default. */
  NONE,
  /** Server-side apply the recorded object over it (field manager {@code hindsight}). */
  UPDATE,
  /** Replace it whole (PUT, keeping its uid); delete and recreate when the server refuses. */
  REPLACE;

  public static ExistingPolicy parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--existing-policy '"
              + text
              + "': use none (skip existing objects), update (server-side apply over them) or replace");
    }
  }
}
