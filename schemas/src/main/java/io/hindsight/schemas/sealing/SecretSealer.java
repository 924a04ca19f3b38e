package io.hindsight.schemas.sealing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and unseals the values of a Secret in place, as part of the wire contract: each value of
 * {@code data} and {@code stringData}, and the {@code last-applied-configuration} annotation (which
 * holds the whole Secret in clear), becomes {@code hsealed:v1:<keyId>:<base64(nonce|ciphertext)>},
 * AES-256-GCM with a random 96-bit nonce. Keys of the maps stay readable. Thread-safe.
 */
public final class SecretSealer {
  public static final String PREFIX = "hsealed:v1:";
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final List<String> VALUE_FIELDS = List.of("data", "stringData");

  private final SealingKeys keys;
  private final SecretKey hashKey;
  private final SecureRandom random = new SecureRandom();

  public SecretSealer(SealingKeys keys) {
    this.keys = keys;
    this.hashKey = deriveHashKey(keys.active());
  }

  public String activeKeyId() {
    return keys.activeId();
  }

  /** Replaces every clear value of the Secret {@code secret} with its sealed form. */
  public void seal(ObjectNode secret) {
    forEachValue(secret, (holder, field, value) -> holder.put(field, seal(value)));
  }

  /** Replaces every sealed value of {@code secret} with its clear form. */
  public void unseal(ObjectNode secret) {
    forEachValue(secret, (holder, field, value) -> holder.put(field, unseal(value)));
  }

  /** Whether any value of {@code secret} is still in clear text. */
  public static boolean hasClearValues(ObjectNode secret) {
    List<Boolean> clear = new ArrayList<>();
    forEachValue(secret, (holder, field, value) -> clear.add(!value.startsWith(PREFIX)));
    return clear.contains(true);
  }

  /**
   * Keyed HMAC-SHA256 (hex) of {@code canonicalClearJson}: equal for equal Secrets, so unchanged
   * Secrets still dedupe, yet it reveals nothing without the key.
   */
  public String hmacHex(byte[] canonicalClearJson) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(hashKey);
      return java.util.HexFormat.of().formatHex(mac.doFinal(canonicalClearJson));
    } catch (GeneralSecurityException e) {
      throw new SealingException("HMAC-SHA256 unavailable: " + e, e);
    }
  }

  String seal(String clear) {
    if (clear.startsWith(PREFIX)) {
      return clear;
    }
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.active(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(keys.activeId()));
      byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + keys.activeId() + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new SealingException("cannot seal a Secret value: " + e, e);
    }
  }

  String unseal(String sealed) {
    if (!sealed.startsWith(PREFIX)) {
      return sealed;
    }
    String rest = sealed.substring(PREFIX.length());
    int colon = rest.indexOf(':');
    if (colon < 0) {
      throw new SealingException("malformed sealed value: no key id");
    }
    String keyId = rest.substring(0, colon);
    try {
      byte[] bytes = Base64.getDecoder().decode(rest.substring(colon + 1));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          keys.byId(keyId),
          new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      cipher.updateAAD(aad(keyId));
      byte[] clear = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
      return new String(clear, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SealingException(
          "cannot unseal a value sealed with key '" + keyId + "': wrong key or damaged value", e);
    }
  }

  private static byte[] aad(String keyId) {
    return ("hindsight:v1:" + keyId).getBytes(StandardCharsets.UTF_8);
  }

  private static SecretKey deriveHashKey(SecretKey key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      byte[] derived = mac.doFinal("hindsight object hash".getBytes(StandardCharsets.UTF_8));
      return new SecretKeySpec(derived, "HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new SealingException("HMAC-SHA256 unavailable: " + e, e);
    }
  }

  private interface ValueVisitor {
    void visit(ObjectNode holder, String field, String value);
  }

  private static void forEachValue(ObjectNode secret, ValueVisitor visitor) {
    for (String name : VALUE_FIELDS) {
      JsonNode values = secret.get(name);
      if (values instanceof ObjectNode map) {
        List<String> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (e.getValue().isTextual()) {
            fields.add(e.getKey());
          }
        }
        for (String field : fields) {
          visitor.visit(map, field, map.get(field).asText());
        }
      }
    }
    JsonNode annotations = secret.path("metadata").path("annotations");
    if (annotations instanceof ObjectNode map && map.path(LAST_APPLIED).isTextual()) {
      visitor.visit(map, LAST_APPLIED, map.get(LAST_APPLIED).asText());
    }
  }
}
