package org.gatehouse.gate.api;

import java.util.Objects;

/**
 * How a {@link ScreeningCheck} applies in a community.
 *
 * @param mode           off, soft (allow and flag) or hard (deny)
 * @param beforeIdentity run before the person is identified (no subject yet; a hard failure denies without
 *                       identifying) or after
 */
public record CheckSetting(Mode mode, boolean beforeIdentity) {
    public static final CheckSetting OFF = new CheckSetting(Mode.OFF, false);

    public CheckSetting {
        Objects.requireNonNull(mode, "mode");
    }

    public enum Mode {
        OFF, SOFT, HARD
    }
}
