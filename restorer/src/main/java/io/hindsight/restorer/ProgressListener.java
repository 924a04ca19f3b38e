package io.hindsight.restorer;

/** Told about a restore's progress (the command line draws a progress bar from it). */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {};

  /** The number of objects the restore will report on. */
  default void planned(int objects) {}

  /** One object is done (in any outcome). */
  default void done(ObjectResult result) {}
}
