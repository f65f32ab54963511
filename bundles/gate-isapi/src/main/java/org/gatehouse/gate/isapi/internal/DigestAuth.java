package org.gatehouse.gate.isapi.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP Digest access authentication (RFC 7616, compatible with RFC 2617) with MD5, as Hikvision terminals use:
 * {@link #parseChallenge} reads a {@code WWW-Authenticate: Digest …} header, {@link Challenge#authorization} answers
 * it for one request. {@code qop=auth} is used when offered, else the RFC 2069 form without qop. Only {@code MD5}
 * (and no algorithm named, which means MD5) is supported; {@code auth-int}, {@code MD5-sess} and SHA-256 are refused
 * with a clear message rather than answered wrongly.
 */
final class DigestAuth {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DigestAuth() {
    }

    /** One server challenge. */
    record Challenge(String realm, String nonce, String opaque, String qop, String algorithm) {
        /** The {@code Authorization} header value for {@code method} and {@code uri} (path and query). */
        String authorization(String user, String password, String method, String uri, int nonceCount) {
            return authorization(user, password, method, uri, nonceCount, newCnonce());
        }

        String authorization(String user, String password, String method, String uri, int nonceCount, String cnonce) {
            String ha1 = md5(user + ":" + realm + ":" + password);
            String ha2 = md5(method + ":" + uri);
            StringBuilder header = new StringBuilder("Digest ");
            header.append("username=\"").append(quote(user)).append("\", realm=\"").append(quote(realm))
                    .append("\", nonce=\"").append(quote(nonce)).append("\", uri=\"").append(quote(uri)).append('"');
            if (qop != null) {
                String nc = String.format(Locale.ROOT, "%08x", nonceCount);
                String response = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
                header.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce)
                        .append("\", response=\"").append(response).append('"');
            } else {
                header.append(", response=\"").append(md5(ha1 + ":" + nonce + ":" + ha2)).append('"');
            }
            if (algorithm != null) {
                header.append(", algorithm=").append(algorithm);
            }
            if (opaque != null) {
                header.append(", opaque=\"").append(quote(opaque)).append('"');
            }
            return header.toString();
        }
    }

    /**
     * Reads a {@code WWW-Authenticate} header value; refuses one that is not Digest, lacks realm or nonce, or asks for
     * something other than MD5 / qop auth.
     */
    static Challenge parseChallenge(String header) {
        if (header == null || !header.regionMatches(true, 0, "Digest ", 0, 7)) {
            throw new IllegalArgumentException("the terminal did not offer Digest authentication ("
                    + (header == null ? "no WWW-Authenticate header" : "offered " + header.split(" ", 2)[0]) + ")");
        }
        Map<String, String> p = params(header.substring(7));
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        if (realm == null || nonce == null) {
            throw new IllegalArgumentException("Digest challenge without realm or nonce");
        }
        String algorithm = p.get("algorithm");
        if (algorithm != null && !"MD5".equalsIgnoreCase(algorithm)) {
            throw new IllegalArgumentException("Digest algorithm " + algorithm + " is not supported (MD5 only)");
        }
        String qop = null;
        if (p.containsKey("qop")) {
            for (String offered : p.get("qop").split(",")) {
                if ("auth".equalsIgnoreCase(offered.trim())) {
                    qop = "auth";
                }
            }
            if (qop == null) {
                throw new IllegalArgumentException("Digest qop " + p.get("qop") + " is not supported (auth only)");
            }
        }
        return new Challenge(realm, nonce, p.get("opaque"), qop, algorithm);
    }

    /** The parameters of a Digest header (challenge or credentials): names lower-cased, quotes removed. */
    static Map<String, String> params(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == ',')) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (i < n && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++;
            } else {
                while (i < n && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            out.put(name, value.toString().trim());
        }
        return out;
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    static String newCnonce() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String quote(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
