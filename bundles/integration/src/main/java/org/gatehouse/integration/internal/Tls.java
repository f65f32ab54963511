package org.gatehouse.integration.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The trust of a target that speaks TLS ({@code https://} webhooks, {@code ssl://} brokers): the certificates of its
 * {@code trustStore} and only those, or the JVM's CAs when none is configured. Certificate and host name checks are
 * always on (the JDK's PKIX path validation and endpoint identification); nothing here trusts all.
 */
final class Tls {
    /** The trust store types accepted besides those of {@link KeyStore} (PKCS12, JKS). */
    static final String PEM = "PEM";

    private Tls() {
    }

    /**
     * A TLS context trusting the CA certificates of {@code path}: a key store of {@code type} (PKCS12, JKS) opened
     * with {@code password}, or with type PEM a file of one or more PEM (or DER) certificates. Fails, saying why, when
     * the file cannot be read or holds no certificate.
     */
    static SSLContext trusting(String path, char[] password, String type) throws IOException, GeneralSecurityException {
        KeyStore trusted;
        if (PEM.equalsIgnoreCase(type)) {
            trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(Path.of(path))) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            int i = 0;
            for (Certificate c : certificates) {
                trusted.setCertificateEntry("ca-" + i++, c);
            }
        } else {
            trusted = KeyStore.getInstance(type.toUpperCase(Locale.ROOT));
            try (InputStream in = Files.newInputStream(Path.of(path))) {
                trusted.load(in, password == null || password.length == 0 ? null : password);
            }
        }
        long certificates = Collections.list(trusted.aliases()).stream().filter(a -> isCertificate(trusted, a)).count();
        if (certificates == 0) {
            throw new GeneralSecurityException("it holds no trusted certificate" + (PEM.equalsIgnoreCase(type)
                    ? "" : " (a wrong trustStorePassword, or not a " + type + " file?)"));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static boolean isCertificate(KeyStore store, String alias) {
        try {
            return store.isCertificateEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * For a connection that failed in the TLS handshake, what the operator should look at: the peer's certificate
     * not signed by a CA of the trust store, or not issued for the host; empty for any other failure.
     */
    static String hint(Throwable failure, String host, String trustStore) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return " (TLS handshake failed: is the certificate of " + host + " issued for that host name and signed "
                        + "by a CA in " + (trustStore.isEmpty() ? "the JVM's trusted CAs (no trustStore configured)"
                        : "trustStore '" + trustStore + "'") + "?)";
            }
        }
        return "";
    }

    /**
     * What went wrong, for a status line: the TLS failure in the chain if there is one (e.g. {@code
     * SSLHandshakeException: PKIX path building failed: ...}), otherwise the innermost cause.
     */
    static String reason(Throwable failure) {
        Throwable innermost = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            innermost = t;
        }
        return innermost.getClass().getSimpleName() + ": " + innermost.getMessage();
    }
}
