package org.gatehouse.integration.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority in a test's temporary folder, made with the JDK's {@code keytool} (always there):
 * a CA certificate (as PEM and as a PKCS12 trust store, the two ways an operator gives it to a target) and server
 * certificates it signs for given subject alternative names (as PEM certificate and key for mosquitto, and as a
 * PKCS12 key store for the JDK's HttpsServer).
 */
final class TestPki {
    static final String PASSWORD = "changeit";
    final Path dir;
    final String name;
    final Path caStore;
    final X509Certificate ca;
    /** The CA certificate, PEM. */
    final Path caPem;
    /** A PKCS12 trust store holding only the CA certificate, password {@link #PASSWORD}. */
    final Path trustStore;

    /** A server certificate signed by this CA: PEM files and a PKCS12 key store (key and chain). */
    record Server(Path certPem, Path keyPem, Path keyStore) {
    }

    private TestPki(Path dir, String name) throws Exception {
        this.dir = dir;
        this.name = name;
        this.caStore = dir.resolve(name + "-ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=Gatehouse test CA " + name,
                "-ext", "bc:c", "-validity", "2", "-keystore", caStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD);
        KeyStore cas = load(caStore);
        ca = (X509Certificate) cas.getCertificate("ca");
        caPem = Files.writeString(dir.resolve(name + "-ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        trustStore = dir.resolve(name + "-truststore.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD.toCharArray());
        }
    }

    static TestPki create(Path dir, String name) throws Exception {
        return new TestPki(dir, name);
    }

    /** A server certificate for {@code san} (keytool syntax: {@code ip:127.0.0.1,dns:localhost}) signed by the CA. */
    Server server(String alias, String san) throws Exception {
        String base = name + "-" + alias;
        Path store = dir.resolve(base + ".p12");
        Path csr = dir.resolve(base + ".csr");
        Path crt = dir.resolve(base + ".crt");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-dname", "CN=" + alias, "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD,
                "-infile", csr.toString(), "-outfile", crt.toString(), "-rfc", "-validity", "2",
                "-ext", "san=" + san, "-ext", "eku=serverAuth");
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(crt)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = load(store);
        PrivateKey key = (PrivateKey) ks.getKey(alias, PASSWORD.toCharArray());
        ks.setKeyEntry(alias, key, PASSWORD.toCharArray(), new Certificate[] {cert, ca});
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        Path certPem = Files.writeString(dir.resolve(base + "-cert.pem"), pem("CERTIFICATE", cert.getEncoded()));
        Path keyPem = Files.writeString(dir.resolve(base + "-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        return new Server(certPem, keyPem, store);
    }

    /** A server-side TLS context presenting {@code server}'s certificate (for HttpsServer). */
    static SSLContext serverContext(Server server) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(server.keyStore()), PASSWORD.toCharArray());
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    /** A client-side TLS context trusting this CA only (for the test's own subscriber), made independently of Tls. */
    SSLContext clientContext() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trustStore));
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    private static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool hung: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed (" + p.exitValue() + "): " + cmd + "\n" + out);
        }
    }
}
