package io.hindsight.testing.kube;

import io.hindsight.testing.process.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates, keys and bearer tokens of one test control plane, generated once per state folder
 * with {@code openssl} (the same commands as {@code infra/kube-apiserver/launch.sh}): a CA, a
 * serving certificate for 127.0.0.1 signed by it, a service-account key pair, and a static token
 * file with an admin and a controller-manager token, both in {@code system:masters}.
 */
record KubePki(Path dir, String adminToken, String controllerManagerToken) {

  Path caCert() {
    return dir.resolve("ca.crt");
  }

  Path caKey() {
    return dir.resolve("ca.key");
  }

  Path serverCert() {
    return dir.resolve("apiserver.crt");
  }

  Path serverKey() {
    return dir.resolve("apiserver.key");
  }

  Path serviceAccountKey() {
    return dir.resolve("sa.key");
  }

  Path serviceAccountPublicKey() {
    return dir.resolve("sa.pub");
  }

  Path tokens() {
    return dir.resolve("tokens.csv");
  }

  /** Reuses what {@code dir} holds, generating what is missing. */
  static KubePki createIn(Path dir) {
    try {
      Files.createDirectories(dir);
      Path tokens = dir.resolve("tokens.csv");
      if (!Files.exists(dir.resolve("apiserver.crt")) || !Files.exists(tokens)) {
        generate(dir);
      }
      List<String> lines = Files.readAllLines(tokens);
      return new KubePki(dir, tokenOf(lines.get(0)), tokenOf(lines.get(1)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create certificates in " + dir, e);
    }
  }

  private static String tokenOf(String csvLine) {
    return csvLine.substring(0, csvLine.indexOf(','));
  }

  private static void generate(Path dir) throws IOException {
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "3650",
        "-subj",
        "/CN=hindsight-test-ca",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt");
    openssl(
        dir,
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=kube-apiserver",
        "-keyout",
        "apiserver.key",
        "-out",
        "apiserver.csr");
    Files.writeString(
        dir.resolve("apiserver.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes,"
            + "DNS:kubernetes.default,DNS:kubernetes.default.svc\n"
            + "extendedKeyUsage=serverAuth\n"
            + "keyUsage=critical,digitalSignature,keyEncipherment\n");
    openssl(
        dir,
        "x509",
        "-req",
        "-days",
        "3650",
        "-in",
        "apiserver.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-extfile",
        "apiserver.ext",
        "-out",
        "apiserver.crt");
    openssl(dir, "genrsa", "-out", "sa.key", "2048");
    openssl(dir, "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub");
    Files.writeString(
        dir.resolve("tokens.csv"),
        randomToken()
            + ",admin,admin,\"system:masters\"\n"
            + randomToken()
            + ",system:kube-controller-manager,kube-controller-manager,\"system:masters\"\n");
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "openssl failed: " + command + "; " + ChildProcess.tail(log, 20));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /** The CA certificate, base64-encoded for a kubeconfig's certificate-authority-data. */
  String caCertBase64() {
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(caCert()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TLS context that trusts exactly this CA. */
  SSLContext sslContext() {
    try (InputStream in = Files.newInputStream(caCert())) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), new SecureRandom());
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load " + caCert(), e);
    }
  }

  /** A kubeconfig for {@code server} authenticating with {@code token}. */
  String kubeconfig(String server, String user, String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: hindsight-test
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: hindsight-test
          context:
            cluster: hindsight-test
            user: %s
        current-context: hindsight-test
        """
        .formatted(server, caCertBase64(), user, token, user);
  }
}
