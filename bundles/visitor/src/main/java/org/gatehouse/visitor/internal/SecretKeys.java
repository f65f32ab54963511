package org.gatehouse.visitor.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.gatehouse.api.keys.KeyFiles;
import org.gatehouse.api.keys.KeyGuard;
import org.gatehouse.api.service.KeyChecks;
import org.gatehouse.core.api.ModuleKey;
import org.gatehouse.core.api.ModuleKeys;

/**
 * The visitor module's 32-byte secret key (a file under Karaf's {@code etc/}, created owner-only on first use):
 * keyed HMAC-SHA256 of pass codes and visitors' ID card numbers, so neither is ever stored in clear.
 * <p>
 * The platform opens the file through {@link KeyGuard} ({@link #load(Path, KeyChecks)}): a missing file, or a file
 * holding another key, is refused while the database recorded this key or holds hashes made with a key. A file is
 * tried on a stored pass code hash by searching the million six-digit codes (about a second, once); visitors' ID card
 * hashes alone cannot tell. A new key is only created for a database that holds none.
 */
public final class SecretKeys {
    /** Stored hashes are 64 lower-case hex digits (HMAC-SHA256): they fit the store's 64-character columns. */
    public static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("[0-9a-f]{64}");
    static final String LABEL = "visitor key (pass code and visitor ID card hashes)";
    /** The label of pass code hashes ({@link VisitorKeyFile#passCodeHash}). */
    static final String PASS_CODE = "pass-code";

    private final ModuleKey key;

    public SecretKeys(byte[] key) {
        this(ModuleKey.of(key, "visitor key"));
    }

    private SecretKeys(ModuleKey key) {
        this.key = key;
    }

    /** The key file named by config, else {@code ${karaf.etc}/gatehouse-visitor.key} (fallback {@code ./etc}). */
    public static Path keyFile(String configured) {
        return KeyFiles.path(configured, "gatehouse-visitor.key");
    }

    /** The key in {@code file}, checked against the database on first use (see the class comment). */
    public static SecretKeys load(Path file, KeyChecks checks) {
        return new SecretKeys(ModuleKeys.open(checks, KeyChecks.VISITOR, "visitor key", LABEL, file,
                () -> keyedData(checks), "the pass codes"));
    }

    /**
     * Checks the key now if the database answers.
     *
     * @return false when the database is down (checked on first use)
     * @throws org.gatehouse.api.keys.KeyRefusedException when the key file is missing or another key
     */
    public boolean checkNow() {
        return key.checkNow();
    }

    public static byte[] random(int n) {
        return KeyFiles.random(n);
    }

    /** Keyed hash of a secret value, labelled so an ID card number and a PIN never share a reference. */
    public String hash(String label, String value) {
        return key.hash(label, value);
    }

    /** What the database holds made with a visitor key; a candidate is tried on up to two pass code hashes. */
    static KeyGuard.KeyedData keyedData(KeyChecks checks) {
        List<KeyChecks.KeyedValue> values = checks.keyedValues(KeyChecks.VISITOR, 20);
        List<KeyChecks.KeyedValue> passes = new ArrayList<>();
        for (KeyChecks.KeyedValue v : values) {
            if (PASS_CODE.equals(v.kind()) && v.value() != null && HASH.matcher(v.value()).matches()
                    && passes.size() < 2) {
                passes.add(v);
            }
        }
        return new KeyGuard.KeyedData() {
            @Override
            public boolean exists() {
                return !values.isEmpty();
            }

            @Override
            public String describe() {
                return passes.isEmpty() ? "visitor ID card hashes" : "visitor pass code and ID card hashes";
            }

            @Override
            public KeyGuard.Verdict tryKey(byte[] candidate) {
                if (passes.isEmpty()) {
                    return KeyGuard.Verdict.CANNOT_TELL;
                }
                for (KeyChecks.KeyedValue pass : passes) {
                    if (codeFound(candidate, pass.communityId(), pass.value())) {
                        return KeyGuard.Verdict.OPENS;
                    }
                }
                return KeyGuard.Verdict.DOES_NOT_OPEN;
            }
        };
    }

    /**
     * Whether one of the codes 000000..999999 of {@code communityId} hashes to {@code hex} under {@code key} (the
     * stored pass code hash: HMAC of "pass-code" NUL community NUL code).
     */
    static boolean codeFound(byte[] key, String communityId, String hex) {
        byte[] target = HexFormat.of().parseHex(hex);
        byte[] prefix = (PASS_CODE + "\u0000" + communityId + "\u0000").getBytes(StandardCharsets.UTF_8);
        byte[] digits = new byte[6];
        byte[] out = new byte[32];
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (int code = 0; code < 1_000_000; code++) {
                for (int i = 5, n = code; i >= 0; i--, n /= 10) {
                    digits[i] = (byte) ('0' + n % 10);
                }
                mac.update(prefix);
                mac.update(digits);
                mac.doFinal(out, 0);
                if (Arrays.equals(out, target)) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "SecretKeys[not shown]";
    }
}
