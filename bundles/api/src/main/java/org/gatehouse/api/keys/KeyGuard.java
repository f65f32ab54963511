package org.gatehouse.api.keys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

import org.gatehouse.api.service.KeyChecks;
import org.gatehouse.api.service.KeyChecks.KeyCheck;

/**
 * Opens a key file only if it is the key of this database, and creates one only while the database holds nothing
 * made with a key of that purpose:
 * <ul>
 * <li>a check value is recorded for the purpose ({@link KeyChecks}) and the file is missing: refused, nothing
 * created;</li>
 * <li>the file exists and its check value differs from the recorded one: refused (another key);</li>
 * <li>nothing is recorded (a new database, or one from before the key checks): when the database holds data made
 * with a key of this purpose, a missing file is refused, an existing file is tried on that data and refused when it
 * does not open it, recorded when it does, and recorded with {@link Outcome#RECORDED_UNVERIFIED} when the data cannot
 * tell (one-way hashes of values nobody can guess); when the database holds no such data the file is created if
 * needed and its check value recorded.</li>
 * </ul>
 * The check value is {@code hmac-sha256:} + HMAC-SHA256(key, {@value #CHECK_LABEL} NUL purpose) in hex: it shows
 * whether two keys are the same and nothing else.
 */
public final class KeyGuard {
    public static final String CHECK_LABEL = "gatehouse.key-check.v1";
    public static final String CHECK_PREFIX = "hmac-sha256:";
    /** How every refusal ends. */
    public static final String ADVICE = "Restore it from the backup of this installation (README, \"Keys and backups\": "
            + "key files are backed up together with the database and kept apart from it), or set the path where it is "
            + "in the configuration, then restart Gatehouse";

    /** What trying a key on stored data showed. */
    public enum Verdict {
        OPENS, DOES_NOT_OPEN, CANNOT_TELL
    }

    /** What the database holds that was made with a key of the purpose (read only when nothing is recorded). */
    public interface KeyedData {
        /** Whether anything in the database needs the key. */
        boolean exists();

        /** For messages: what it is, e.g. "credential references (app-token secrets, ID card and PIN hashes)". */
        String describe();

        /** Tries a candidate key on that data. */
        Verdict tryKey(byte[] key);
    }

    /** How the key was accepted. */
    public enum Outcome {
        /** No key file and nothing in the database needed one: a new key was created and recorded. */
        CREATED,
        /** The file's check value is the recorded one. */
        MATCHED,
        /** Nothing recorded and no data needs the key: the existing file was recorded. */
        RECORDED,
        /** Nothing recorded; the existing file opened the stored data and was recorded. */
        RECORDED_VERIFIED,
        /** Nothing recorded; the stored data cannot show whether the existing file is right; it was recorded. */
        RECORDED_UNVERIFIED
    }

    /** The key and how it was accepted ({@code detail}: what the data was, for the log). */
    public record Result(byte[] key, Outcome outcome, String detail) {
    }

    private KeyGuard() {
    }

    /** The check value of {@code key} for {@code purpose}. */
    public static String checkValue(byte[] key, String purpose) {
        return CHECK_PREFIX + HexFormat.of().formatHex(KeyFiles.hmac(key,
                (CHECK_LABEL + "\u0000" + purpose).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Opens (or creates) the key file of {@code purpose} as described above.
     *
     * @param label  what the key is, for messages, e.g. "visitor key (pass code and visitor ID card hashes)"
     * @param length the key's length in bytes
     * @param data   what the database holds made with such a key; asked only when nothing is recorded
     * @throws KeyRefusedException when the file is missing or another key, with a message naming the file
     * @throws org.gatehouse.api.service.StoreUnavailableException when the database cannot be asked (nothing created)
     */
    public static Result open(KeyChecks checks, String purpose, String label, Path file, int length,
                              Supplier<KeyedData> data) {
        Optional<KeyCheck> recorded = checks.recorded(purpose);
        if (!Files.exists(file)) {
            if (recorded.isPresent()) {
                throw missing(purpose, label, file, "this database was used with that key (" + when(recorded.get())
                        + ")");
            }
            KeyedData held = data.get();
            if (held.exists()) {
                throw missing(purpose, label, file, "this database holds " + held.describe() + " made with that key");
            }
            byte[] key = KeyFiles.create(file, length);
            record(checks, purpose, label, file, key);
            return new Result(key, Outcome.CREATED, "");
        }
        byte[] key = KeyFiles.read(file, length);
        String mine = checkValue(key, purpose);
        if (recorded.isPresent()) {
            if (same(recorded.get().checkValue(), mine)) {
                return new Result(key, Outcome.MATCHED, "");
            }
            throw different(purpose, label, file, recorded.get());
        }
        KeyedData held = data.get();
        if (!held.exists()) {
            record(checks, purpose, label, file, key);
            return new Result(key, Outcome.RECORDED, "");
        }
        switch (held.tryKey(key)) {
            case OPENS -> {
                record(checks, purpose, label, file, key);
                return new Result(key, Outcome.RECORDED_VERIFIED, held.describe());
            }
            case DOES_NOT_OPEN -> throw doesNotOpen(purpose, label, file, held.describe());
            default -> {
                record(checks, purpose, label, file, key);
                return new Result(key, Outcome.RECORDED_UNVERIFIED, held.describe());
            }
        }
    }

    /** Records {@code key}'s check value; refused when another node recorded a different key first. */
    public static void record(KeyChecks checks, String purpose, String label, Path file, byte[] key) {
        String mine = checkValue(key, purpose);
        KeyCheck stored = checks.record(purpose, mine, file.toAbsolutePath().toString());
        if (!same(stored.checkValue(), mine)) {
            throw different(purpose, label, file, stored);
        }
    }

    public static KeyRefusedException missing(String purpose, String label, Path file, String why) {
        return new KeyRefusedException(purpose, file, "The " + label + " " + file.toAbsolutePath() + " is missing, but "
                + why + ". Gatehouse does not create a new key: it could not read what was made with the old one. "
                + ADVICE + ".");
    }

    public static KeyRefusedException different(String purpose, String label, Path file, KeyCheck recorded) {
        return new KeyRefusedException(purpose, file, "The " + label + " " + file.toAbsolutePath() + " is not the key "
                + "this database was used with: its check value differs from the one recorded for '" + purpose + "' ("
                + when(recorded) + "), so nothing made with the recorded key could be read with it. " + ADVICE + ".");
    }

    public static KeyRefusedException doesNotOpen(String purpose, String label, Path file, String data) {
        return new KeyRefusedException(purpose, file, "The " + label + " " + file.toAbsolutePath() + " does not open the "
                + data + " held by this database: it is not the key they were made with. " + ADVICE + ".");
    }

    private static String when(KeyCheck recorded) {
        return "key check recorded " + recorded.recordedAt()
                + (recorded.keyFile() == null || recorded.keyFile().isBlank() ? "" : ", key then at " + recorded.keyFile());
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
