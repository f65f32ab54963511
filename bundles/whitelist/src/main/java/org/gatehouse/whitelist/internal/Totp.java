package org.gatehouse.whitelist.internal;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** TOTP (RFC 6238) over HMAC-SHA1 (RFC 4226 dynamic truncation), 30-second steps from the Unix epoch. */
public final class Totp {
    public static final int STEP_SECONDS = 30;
    public static final int DIGITS = 6;

    private Totp() {
    }

    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    public static String code(byte[] secret, Instant at) {
        return code(secret, step(at), DIGITS);
    }

    /** HOTP of {@code counter} with {@code digits} digits. */
    public static String code(byte[] secret, long counter, int digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                    | (h[offset + 3] & 0xff);
            int mod = 1;
            for (int i = 0; i < digits; i++) {
                mod *= 10;
            }
            return String.format("%0" + digits + "d", binary % mod);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /** Whether {@code code} is right at {@code at}, allowing {@code drift} steps either way. */
    public static boolean verify(byte[] secret, String code, Instant at, int drift) {
        if (secret == null || secret.length == 0 || code == null || !code.matches("\\d{" + DIGITS + "}")) {
            return false;
        }
        long now = step(at);
        boolean ok = false;
        for (long s = now - drift; s <= now + drift; s++) {
            ok |= MessageDigest.isEqual(code(secret, s, DIGITS).getBytes(), code.getBytes());
        }
        return ok;
    }

    /** RFC 4648 base32 without padding, as authenticator apps read secrets. */
    public static String base32(byte[] data) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }
}
