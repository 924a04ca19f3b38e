package io.hindsight.restorer;

import io.hindsight.schemas.sealing.SealingException;
import io.hindsight.schemas.sealing.SealingKeys;
import io.hindsight.schemas.sealing.SecretSealer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Unseals recorded Secrets (their {@code data}, {@code stringData} and last-applied annotation)
 * with the sealing key file: the only place Hindsight turns them back into clear values, on their
 * way into the target cluster.
 */
final class SecretUnsealer {
  private final SecretSealer sealer;

  private SecretUnsealer(SecretSealer sealer) {
    this.sealer = sealer;
  }

  /** The unsealer of {@code keyFile}, or why there is none (missing or unusable file). */
  static Optional<SecretUnsealer> open(Path keyFile, StringBuilder whyNot) {
    if (keyFile == null || !Files.exists(keyFile)) {
      whyNot.append("the sealing key file ").append(keyFile).append(" does not exist");
      return Optional.empty();
    }
    try {
      return Optional.of(new SecretUnsealer(new SecretSealer(SealingKeys.load(keyFile, false))));
    } catch (SealingException e) {
      whyNot.append(e.getMessage());
      return Optional.empty();
    }
  }

  /** Unseals in place; {@link SealingException} when the key does not fit. */
  void unseal(RestoreObject secret) {
    sealer.unseal(secret.object());
  }
}
