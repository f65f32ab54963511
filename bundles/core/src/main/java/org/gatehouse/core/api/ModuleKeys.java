package org.gatehouse.core.api;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.gatehouse.api.keys.GuardedKey;
import org.gatehouse.api.keys.KeyGuard;
import org.gatehouse.api.service.KeyChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module's 32-byte key file (whitelist, visitor), opened through {@link KeyGuard} on first use and checked
 * against the database; how it was accepted or why it was refused is logged the same way for every module.
 */
public final class ModuleKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleKeys.class);
    public static final int LENGTH = 32;

    private ModuleKeys() {
    }

    /** As {@link #guarded}, the key a module uses: keyed hashes and derived keys. */
    public static ModuleKey open(KeyChecks checks, String purpose, String name, String label, Path file,
                                 Supplier<KeyGuard.KeyedData> data, String triedOn) {
        return new ModuleKey(guarded(checks, purpose, name, label, file, data, triedOn));
    }

    /**
     * @param purpose   the key check's purpose ({@link KeyChecks#WHITELIST}, {@link KeyChecks#VISITOR})
     * @param name      how the log names it ("visitor key")
     * @param label     what the key protects, for the refusal message
     * @param data      what the database holds made with such a key (to try a file on)
     * @param triedOn   what a file is tried on, for the log ("the pass codes")
     */
    public static GuardedKey guarded(KeyChecks checks, String purpose, String name, String label, Path file,
                                     Supplier<KeyGuard.KeyedData> data, String triedOn) {
        Path where = file.toAbsolutePath().normalize();
        return new GuardedKey(() -> KeyGuard.open(checks, purpose, label, where, LENGTH, data),
                result -> opened(name, triedOn, where, result), refused -> LOG.error("{}", refused.getMessage()));
    }

    private static void opened(String name, String triedOn, Path file, KeyGuard.Result result) {
        switch (result.outcome()) {
            case CREATED -> LOG.warn("created the {} {} ({} random bytes, owner read/write only) and recorded its check"
                    + " value in the database: back it up with the database and keep it apart from it", name, file,
                    LENGTH);
            case RECORDED_VERIFIED -> LOG.info("{} {} matches {} stored in the database: its check value is now"
                    + " recorded there", name, file, triedOn);
            case RECORDED_UNVERIFIED -> LOG.warn("{} {}: the database holds {} but none of {} to try the key on; the"
                    + " file was accepted as this database's key and its check value recorded", name, file,
                    result.detail(), triedOn);
            case RECORDED -> LOG.info("{} {}: check value recorded in the database", name, file);
            default -> LOG.debug("{} {} matches the database's key check", name, file);
        }
    }
}
