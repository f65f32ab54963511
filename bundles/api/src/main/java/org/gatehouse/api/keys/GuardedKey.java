package org.gatehouse.api.keys;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.gatehouse.api.service.StoreUnavailableException;

/**
 * A key opened through {@link KeyGuard} once, when the database can be asked: a component calls {@link #tryNow()}
 * when it activates (a {@link KeyRefusedException} then stops it from coming up; a database that is down defers the
 * check) and {@link #get()} on every use. A refusal sticks until the component is restarted: the operator restores
 * the file and restarts Gatehouse.
 */
public final class GuardedKey {
    private final Supplier<KeyGuard.Result> opener;
    private final Consumer<KeyGuard.Result> onOpened;
    private final Consumer<KeyRefusedException> onRefused;
    private volatile byte[] key;
    private KeyRefusedException refused;

    /**
     * @param opener    runs {@link KeyGuard#open}
     * @param onOpened  told how the key was accepted (to log it)
     * @param onRefused told of a refusal (to log it; it is thrown as well)
     */
    public GuardedKey(Supplier<KeyGuard.Result> opener, Consumer<KeyGuard.Result> onOpened,
                      Consumer<KeyRefusedException> onRefused) {
        this.opener = opener;
        this.onOpened = onOpened;
        this.onRefused = onRefused;
    }

    /** A key that needs no check (tests, tools without a database). */
    public static GuardedKey of(byte[] key) {
        GuardedKey fixed = new GuardedKey(() -> {
            throw new IllegalStateException("unreachable");
        }, r -> { }, e -> { });
        fixed.key = key.clone();
        return fixed;
    }

    /**
     * The key (not a copy: do not change it), checked against the database on the first call.
     *
     * @throws KeyRefusedException        the key file is missing or another key (every call from then on)
     * @throws StoreUnavailableException  the database cannot be asked yet (the next call tries again)
     */
    public byte[] get() {
        byte[] k = key;
        if (k != null) {
            return k;
        }
        synchronized (this) {
            if (key != null) {
                return key;
            }
            if (refused != null) {
                throw refused;
            }
            try {
                KeyGuard.Result result = opener.get();
                key = result.key();
                onOpened.accept(result);
                return key;
            } catch (KeyRefusedException e) {
                refused = e;
                onRefused.accept(e);
                throw e;
            }
        }
    }

    /**
     * Opens the key now if the database answers.
     *
     * @return false when the database cannot be reached (the key is opened and checked on first use instead)
     * @throws KeyRefusedException when the key is refused
     */
    public boolean tryNow() {
        try {
            get();
            return true;
        } catch (StoreUnavailableException e) {
            return false;
        }
    }
}
