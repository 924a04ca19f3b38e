package io.hindsight.schemas.sealing;

/** A Secret value cannot be sealed or unsealed, or the keys cannot be read. */
public class SealingException extends RuntimeException {
  public SealingException(String message) {
    super(message);
  }

  public SealingException(String message, Throwable cause) {
    super(message, cause);
  }
}
