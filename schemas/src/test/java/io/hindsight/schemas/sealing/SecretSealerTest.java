package io.hindsight.schemas.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSealerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private ObjectNode secret() throws Exception {
    return (ObjectNode)
        JSON.readTree(
            """
            {"apiVersion":"v1","kind":"Secret",
             "metadata":{"name":"db","namespace":"shop","annotations":{
               "kubectl.kubernetes.io/last-applied-configuration":"{\\"stringData\\":{\\"password\\":\\"hunter2-plain\\"}}",
               "team":"payments"}},
             "type":"Opaque",
             "data":{"password":"aHVudGVyMi1wbGFpbg==","user":"YWRtaW4="},
             "stringData":{"token":"tok-plain-123"}}
            """);
  }

  @Test
  void sealsEveryValueAndUnsealsThemBack() throws Exception {
    SecretSealer sealer = new SecretSealer(SealingKeys.load(dir.resolve("k"), true));
    ObjectNode secret = secret();

    sealer.seal(secret);

    String sealed = secret.toString();
    assertThat(sealed)
        .doesNotContain("aHVudGVyMi1wbGFpbg==", "YWRtaW4=", "tok-plain-123", "hunter2-plain")
        .contains(SecretSealer.PREFIX + sealer.activeKeyId() + ":")
        .contains("\"password\"", "\"team\":\"payments\"");
    assertThat(SecretSealer.hasClearValues(secret)).isFalse();

    sealer.unseal(secret);
    assertThat(secret).isEqualTo(secret());
  }

  @Test
  void sealingTwiceGivesDifferentBytesButTheSameHmac() throws Exception {
    SecretSealer sealer = new SecretSealer(SealingKeys.load(dir.resolve("k"), true));
    ObjectNode a = secret();
    ObjectNode b = secret();
    sealer.seal(a);
    sealer.seal(b);
    assertThat(a).isNotEqualTo(b);
    byte[] clear = secret().toString().getBytes(StandardCharsets.UTF_8);
    assertThat(sealer.hmacHex(clear)).isEqualTo(sealer.hmacHex(clear)).hasSize(64);
    assertThat(sealer.hmacHex("x".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(sealer.hmacHex(clear));
  }

  @Test
  void aRotatedKeyFileStillUnsealsOldValues() throws Exception {
    Path file = dir.resolve("k");
    SecretSealer old = new SecretSealer(SealingKeys.load(file, true));
    ObjectNode secret = secret();
    old.seal(secret);

    String oldId = old.activeKeyId();
    String oldLine =
        Files.readAllLines(file).stream()
            .filter(l -> l.startsWith("key."))
            .findFirst()
            .orElseThrow();
    Files.writeString(file, "active=k2\n" + oldLine + "\nkey.k2=" + "A".repeat(43) + "=\n");
    SecretSealer rotated = new SecretSealer(SealingKeys.load(file, false));
    assertThat(rotated.activeKeyId()).isEqualTo("k2").isNotEqualTo(oldId);

    rotated.unseal(secret);
    assertThat(secret).isEqualTo(secret());
  }

  @Test
  void theWrongKeyIsRefusedClearly() throws Exception {
    ObjectNode secret = secret();
    new SecretSealer(SealingKeys.load(dir.resolve("a"), true)).seal(secret);
    Path other = dir.resolve("b");
    SealingKeys.load(other, true);
    assertThatThrownBy(() -> new SecretSealer(SealingKeys.load(other, false)).unseal(secret))
        .isInstanceOf(SealingException.class)
        .hasMessageContaining("no sealing key with id");
  }

  @Test
  void aGeneratedKeyFileIsPrivateAndAMissingOneIsExplained() throws Exception {
    Path file = dir.resolve("sub/sealing.key");
    SealingKeys.load(file, true);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThatThrownBy(() -> SealingKeys.load(dir.resolve("none"), false))
        .hasMessageContaining("does not exist");
    Files.writeString(dir.resolve("bad"), "active=x\nkey.x=c2hvcnQ=\n");
    assertThatThrownBy(() -> SealingKeys.load(dir.resolve("bad"), false))
        .hasMessageContaining("AES-256 needs 32");
  }
}
