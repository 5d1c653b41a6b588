package dev.eventual.loop;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates the TLS tests make for themselves: the JDK's own {@code keytool} writes a
 * self-signed EC key pair for {@code localhost} and {@code 127.0.0.1} into a temporary PKCS12
 * keystore, once per test run. Nothing is checked in.
 */
final class TestCerts {
  private static final char[] PASSWORD = "eventual-test".toCharArray();

  /** The server's key and certificate: CN=localhost, SAN dns:localhost, ip:127.0.0.1. */
  static final KeyStore SERVER = generate("localhost", "SAN=ip:127.0.0.1,dns:localhost");

  /**
   * A certificate for another name only: a hostname that does not match, and (being self-signed
   * too) one that a client trusting {@link #SERVER} does not trust.
   */
  static final KeyStore OTHER_NAME = generate("example.org", "SAN=dns:example.org");

  private TestCerts() {}

  /** A server context with {@code keys}' certificate. */
  static SSLContext server(KeyStore keys) {
    return context("TLS", keys, null);
  }

  /** A client context that trusts {@code trusted}'s certificate only. */
  static SSLContext client(KeyStore trusted) {
    return context("TLS", null, trusted);
  }

  /** A client context of one protocol ("TLSv1.2" or "TLSv1.3") that trusts {@code trusted}. */
  static SSLContext client(String protocol, KeyStore trusted) {
    return context(protocol, null, trusted);
  }

  static SSLContext context(String protocol, KeyStore keys, KeyStore trusted) {
    try {
      KeyManagerFactory kmf = null;
      if (keys != null) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
      }
      TrustManagerFactory tmf = null;
      if (trusted != null) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
      }
      SSLContext ctx = SSLContext.getInstance(protocol);
      ctx.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyStore generate(String cn, String san) {
    try {
      Path dir = Files.createTempDirectory("eventual-tls");
      Path file = dir.resolve("keys.p12");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      java.lang.Process p =
          new ProcessBuilder(
                  List.of(
                      keytool.toString(),
                      "-genkeypair",
                      "-keyalg",
                      "EC",
                      "-groupname",
                      "secp256r1",
                      "-alias",
                      "test",
                      "-dname",
                      "CN=" + cn,
                      "-ext",
                      san,
                      "-validity",
                      "2",
                      "-storetype",
                      "PKCS12",
                      "-keystore",
                      file.toString(),
                      "-storepass",
                      new String(PASSWORD),
                      "-keypass",
                      new String(PASSWORD)))
              .redirectErrorStream(true)
              .start();
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + new String(output));
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        ks.load(in, PASSWORD);
      }
      Files.delete(file);
      Files.delete(dir);
      return ks;
    } catch (Exception e) {
      throw new IllegalStateException("cannot generate a test certificate", e);
    }
  }
}
