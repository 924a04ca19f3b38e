package io.hindsight.serde;

/** A schema registry call failed; {@link #retriable()} tells a passing fault from a final one. */
public class SchemaRegistryException extends RuntimeException {
  private final int httpStatus;
  private final boolean retriable;

  SchemaRegistryException(String message, int httpStatus, boolean retriable, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.retriable = retriable;
  }

  /** The HTTP status the registry answered, or 0 when it could not be reached. */
  public int httpStatus() {
    return httpStatus;
  }

  public boolean retriable() {
    return retriable;
  }
}
