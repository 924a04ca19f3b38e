package io.hindsight.schemas.sealing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that seal Secret values, read from a key file: {@code active=<id>} names the key
 * that seals; every {@code key.<id>=<base64 of 32 bytes>} can unseal, so keys rotate by adding a
 * new one and making it active. A missing file can be generated (mode 0600).
 */
public final class SealingKeys {
  private final String activeId;
  private final Map<String, SecretKey> keys;

  SealingKeys(String activeId, Map<String, SecretKey> keys) {
    if (!keys.containsKey(activeId)) {
      throw new IllegalArgumentException("active key '" + activeId + "' has no key." + activeId);
    }
    this.activeId = activeId;
    this.keys = Map.copyOf(keys);
  }

  public String activeId() {
    return activeId;
  }

  SecretKey active() {
    return keys.get(activeId);
  }

  SecretKey byId(String id) {
    SecretKey key = keys.get(id);
    if (key == null) {
      throw new SealingException(
          "no sealing key with id '"
              + id
              + "' in the key file (it has "
              + keys.keySet()
              + "): give the key file that sealed this history");
    }
    return key;
  }

  /** Reads {@code file}; when it does not exist and {@code generate} is set, creates it first. */
  public static SealingKeys load(Path file, boolean generate) {
    try {
      if (!Files.exists(file)) {
        if (!generate) {
          throw new SealingException(
              "sealing key file " + file + " does not exist: give the key file the watcher used");
        }
        generate(file);
      }
      Properties props = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        props.load(in);
      }
      String active = props.getProperty("active");
      if (active == null || active.isBlank()) {
        throw new SealingException("sealing key file " + file + " has no 'active=<key id>' line");
      }
      Map<String, SecretKey> keys = new LinkedHashMap<>();
      for (String name : props.stringPropertyNames()) {
        if (name.startsWith("key.")) {
          byte[] bytes = decode(file, name, props.getProperty(name));
          keys.put(name.substring(4), new SecretKeySpec(bytes, "AES"));
        }
      }
      if (!keys.containsKey(active)) {
        throw new SealingException(
            "sealing key file "
                + file
                + " names active key '"
                + active
                + "' but has no key."
                + active);
      }
      return new SealingKeys(active, keys);
    } catch (IOException e) {
      throw new SealingException("cannot read sealing key file " + file + ": " + e, e);
    }
  }

  private static byte[] decode(Path file, String name, String value) {
    try {
      byte[] bytes = Base64.getDecoder().decode(value.trim());
      if (bytes.length != 32) {
        throw new SealingException(
            name + " in " + file + " has " + bytes.length + " bytes; AES-256 needs 32");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw new SealingException(name + " in " + file + " is not base64", e);
    }
  }

  private static void generate(Path file) throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    byte[] idBytes = new byte[4];
    new SecureRandom().nextBytes(idBytes);
    String id =
        "k-"
            + java.time.LocalDate.now(java.time.ZoneOffset.UTC)
            + "-"
            + java.util.HexFormat.of().formatHex(idBytes);
    String text =
        "# Hindsight sealing keys: keep this file secret and backed up; without it Secrets"
            + " cannot be restored.\nactive="
            + id
            + "\nkey."
            + id
            + "="
            + Base64.getEncoder().encodeToString(key)
            + "\n";
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return; // someone else generated it first; use theirs
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
  }
}
