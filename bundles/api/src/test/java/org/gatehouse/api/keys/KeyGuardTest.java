package org.gatehouse.api.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.gatehouse.api.service.KeyChecks;
import org.gatehouse.api.service.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key guard's decisions, over an in-memory key_check table. */
class KeyGuardTest {
    private static final String PURPOSE = "visitor";
    private static final String LABEL = "test key";

    @TempDir
    Path dir;

    /** key_check as the store keeps it: the first record wins; {@code down} fails every call. */
    static class Checks implements KeyChecks {
        final Map<String, KeyCheck> records = new HashMap<>();
        boolean down;

        @Override
        public Optional<KeyCheck> recorded(String purpose) {
            if (down) {
                throw new StoreUnavailableException("down", null);
            }
            return Optional.ofNullable(records.get(purpose));
        }

        @Override
        public KeyCheck record(String purpose, String checkValue, String keyFile) {
            if (down) {
                throw new StoreUnavailableException("down", null);
            }
            return records.computeIfAbsent(purpose, p -> new KeyCheck(p, checkValue, keyFile, Instant.now()));
        }

        @Override
        public List<KeyedValue> keyedValues(String purpose, int limit) {
            return List.of();
        }
    }

    /** Stored data that a key opens, or not, or cannot tell; counts how often it was asked. */
    static Supplier<KeyGuard.KeyedData> data(boolean exists, byte[] rightKey, boolean canTell, AtomicInteger asked) {
        return () -> {
            asked.incrementAndGet();
            return new KeyGuard.KeyedData() {
                @Override
                public boolean exists() {
                    return exists;
                }

                @Override
                public String describe() {
                    return "3 test hashes";
                }

                @Override
                public KeyGuard.Verdict tryKey(byte[] key) {
                    if (!canTell) {
                        return KeyGuard.Verdict.CANNOT_TELL;
                    }
                    return java.util.Arrays.equals(key, rightKey) ? KeyGuard.Verdict.OPENS
                            : KeyGuard.Verdict.DOES_NOT_OPEN;
                }
            };
        };
    }

    private static Supplier<KeyGuard.KeyedData> nothing() {
        return data(false, null, true, new AtomicInteger());
    }

    @Test
    void aNewDatabaseGetsANewOwnerOnlyKeyAndRecordsItsCheckValueNeverTheKey() throws Exception {
        Checks checks = new Checks();
        Path file = dir.resolve("etc").resolve("k.key");
        KeyGuard.Result created = KeyGuard.open(checks, PURPOSE, LABEL, file, 32, nothing());
        assertEquals(KeyGuard.Outcome.CREATED, created.outcome());
        assertArrayEquals(Files.readAllBytes(file), created.key());
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        KeyChecks.KeyCheck record = checks.records.get(PURPOSE);
        assertEquals(KeyGuard.checkValue(created.key(), PURPOSE), record.checkValue());
        assertTrue(record.checkValue().matches("hmac-sha256:[0-9a-f]{64}"));
        assertFalse(record.checkValue().contains(HexFormat.of().formatHex(created.key())), "never the key");
        assertFalse(KeyGuard.checkValue(created.key(), "whitelist").equals(record.checkValue()), "per purpose");
        assertEquals(file.toAbsolutePath().toString(), record.keyFile());

        KeyGuard.Result again = KeyGuard.open(checks, PURPOSE, LABEL, file, 32, nothing());
        assertEquals(KeyGuard.Outcome.MATCHED, again.outcome());
        assertArrayEquals(created.key(), again.key());
    }

    @Test
    void aMissingKeyFileIsRefusedOnceItsKeyIsRecordedAndNothingIsCreated() throws Exception {
        Checks checks = new Checks();
        Path file = dir.resolve("etc").resolve("k.key");
        KeyGuard.open(checks, PURPOSE, LABEL, file, 32, nothing());
        Files.delete(file);
        AtomicInteger asked = new AtomicInteger();
        KeyRefusedException e = assertThrows(KeyRefusedException.class,
                () -> KeyGuard.open(checks, PURPOSE, LABEL, file, 32, data(false, null, true, asked)));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("Keys and backups"), e.getMessage());
        assertEquals(PURPOSE, e.purpose());
        assertFalse(Files.exists(file));
        assertEquals(0, asked.get(), "the record alone decides");
    }

    @Test
    void anotherKeyIsRefused() throws Exception {
        Checks checks = new Checks();
        Path file = dir.resolve("k.key");
        KeyGuard.open(checks, PURPOSE, LABEL, file, 32, nothing());
        byte[] before = Files.readAllBytes(file);
        Files.write(file, KeyFiles.random(32));
        KeyRefusedException e = assertThrows(KeyRefusedException.class,
                () -> KeyGuard.open(checks, PURPOSE, LABEL, file, 32, nothing()));
        assertTrue(e.getMessage().contains("is not the key this database was used with"), e.getMessage());
        Files.write(file, before);
        assertEquals(KeyGuard.Outcome.MATCHED, KeyGuard.open(checks, PURPOSE, LABEL, file, 32, nothing()).outcome());
    }

    @Test
    void withoutARecordTheDataDecides() throws Exception {
        Path file = dir.resolve("k.key");
        byte[] right = KeyFiles.random(32);
        // data but no file: refused, not created
        Checks checks = new Checks();
        assertTrue(assertThrows(KeyRefusedException.class, () -> KeyGuard.open(checks, PURPOSE, LABEL, file, 32,
                data(true, right, true, new AtomicInteger()))).getMessage().contains("holds 3 test hashes"));
        assertFalse(Files.exists(file));
        // a file that does not open the data: refused, nothing recorded
        Files.write(file, KeyFiles.random(32));
        assertTrue(assertThrows(KeyRefusedException.class, () -> KeyGuard.open(checks, PURPOSE, LABEL, file, 32,
                data(true, right, true, new AtomicInteger()))).getMessage().contains("does not open the 3 test hashes"));
        assertTrue(checks.records.isEmpty());
        // the right file: recorded
        Files.write(file, right);
        assertEquals(KeyGuard.Outcome.RECORDED_VERIFIED, KeyGuard.open(checks, PURPOSE, LABEL, file, 32,
                data(true, right, true, new AtomicInteger())).outcome());
        assertEquals(KeyGuard.checkValue(right, PURPOSE), checks.records.get(PURPOSE).checkValue());
        // data that cannot tell: the existing file is taken (and recorded), reported as unverified
        Checks other = new Checks();
        assertEquals(KeyGuard.Outcome.RECORDED_UNVERIFIED, KeyGuard.open(other, PURPOSE, LABEL, file, 32,
                data(true, right, false, new AtomicInteger())).outcome());
        assertTrue(other.records.containsKey(PURPOSE));
        // no data: recorded as it is
        Checks empty = new Checks();
        assertEquals(KeyGuard.Outcome.RECORDED, KeyGuard.open(empty, PURPOSE, LABEL, file, 32, nothing()).outcome());
    }

    @Test
    void anotherNodeRecordingAnotherKeyFirstIsRefused() {
        Checks checks = new Checks();
        checks.records.put(PURPOSE, new KeyChecks.KeyCheck(PURPOSE, "hmac-sha256:" + "0".repeat(64), "/elsewhere",
                Instant.now()));
        Checks racing = new Checks() {
            boolean first = true;

            @Override
            public Optional<KeyCheck> recorded(String purpose) {
                if (first) { // nothing recorded when asked ...
                    first = false;
                    return Optional.empty();
                }
                return super.recorded(purpose);
            }

            @Override
            public KeyCheck record(String purpose, String checkValue, String keyFile) {
                return checks.record(purpose, checkValue, keyFile); // ... but the other node was first
            }
        };
        Path file = dir.resolve("k.key");
        assertThrows(KeyRefusedException.class, () -> KeyGuard.open(racing, PURPOSE, LABEL, file, 32, nothing()));
    }

    @Test
    void aDatabaseThatIsDownCreatesNothingAndTheGuardedKeyWaitsForIt() throws Exception {
        Checks checks = new Checks();
        checks.down = true;
        Path file = dir.resolve("k.key");
        assertThrows(StoreUnavailableException.class, () -> KeyGuard.open(checks, PURPOSE, LABEL, file, 32, nothing()));
        assertFalse(Files.exists(file));

        AtomicInteger opened = new AtomicInteger();
        GuardedKey key = new GuardedKey(() -> KeyGuard.open(checks, PURPOSE, LABEL, file, 32, nothing()),
                r -> opened.incrementAndGet(), e -> { });
        assertFalse(key.tryNow(), "deferred");
        assertThrows(StoreUnavailableException.class, key::get);
        assertFalse(Files.exists(file));
        checks.down = false;
        byte[] k = key.get();
        assertSame(k, key.get());
        assertEquals(1, opened.get());
        assertTrue(key.tryNow());
    }

    @Test
    void aRefusalSticksUntilRestart() throws Exception {
        Checks checks = new Checks();
        Path file = dir.resolve("k.key");
        KeyGuard.open(checks, PURPOSE, LABEL, file, 32, nothing());
        Files.delete(file);
        AtomicInteger refusals = new AtomicInteger();
        GuardedKey key = new GuardedKey(() -> KeyGuard.open(checks, PURPOSE, LABEL, file, 32, nothing()),
                r -> { }, e -> refusals.incrementAndGet());
        KeyRefusedException first = assertThrows(KeyRefusedException.class, key::tryNow);
        assertSame(first, assertThrows(KeyRefusedException.class, key::get));
        assertEquals(1, refusals.get());
        assertFalse(Files.exists(file));
    }
}
