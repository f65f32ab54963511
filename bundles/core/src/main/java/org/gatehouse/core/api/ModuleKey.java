package org.gatehouse.core.api;

import java.nio.charset.StandardCharsets;

import org.gatehouse.api.keys.GuardedKey;
import org.gatehouse.api.keys.KeyFiles;

/**
 * A module's open 32-byte key ({@link ModuleKeys#open}): the keyed hashes of secret values it stores and the keys
 * derived from it, checked against the database on first use. The bytes never leave it.
 */
public final class ModuleKey {
    private final GuardedKey key;

    ModuleKey(GuardedKey key) {
        this.key = key;
    }

    /** A key held in memory (tests, tools): {@code bytes} must be {@value ModuleKeys#LENGTH} bytes. */
    public static ModuleKey of(byte[] bytes, String name) {
        if (bytes.length != ModuleKeys.LENGTH) {
            throw new IllegalArgumentException("the " + name + " must be " + ModuleKeys.LENGTH + " bytes, not "
                    + bytes.length);
        }
        return new ModuleKey(GuardedKey.of(bytes));
    }

    /**
     * Checks the key against the database now, if it answers.
     *
     * @return false when the database is down (checked on first use)
     * @throws org.gatehouse.api.keys.KeyRefusedException when the key file is missing or another key
     */
    public boolean checkNow() {
        return key.tryNow();
    }

    /** HMAC-SHA256 of {@code label NUL value}, 64 hex digits: the label keeps purposes apart. */
    public String hash(String label, String value) {
        return KeyFiles.hmacHex(key.get(), label, value);
    }

    /** A 32-byte key for one {@code purpose} (HMAC of the purpose), e.g. to encrypt with. */
    public byte[] derive(String purpose) {
        return derive(key.get(), purpose);
    }

    /** As {@link #derive(String)} for a candidate key being tried on stored data. */
    public static byte[] derive(byte[] candidate, String purpose) {
        return KeyFiles.hmac(candidate, purpose.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ModuleKey[not shown]";
    }
}
