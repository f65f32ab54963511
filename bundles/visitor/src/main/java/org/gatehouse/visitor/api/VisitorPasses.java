package org.gatehouse.visitor.api;

import java.time.Instant;

import org.gatehouse.api.service.Scope;

/**
 * What a gate asks about a temporary pass code (临时通行码). A check that opens uses the pass (one use,
 * counted atomically by the store); every check, opened or refused, is written to the visitor log
 * ({@code PASS_USED} / {@code PASS_REFUSED} with the reason).
 */
public interface VisitorPasses {
    /**
     * A check by gate name. A pass limited to a building (a resident's pass) opens only when a device of the
     * community with this gate name is a door of that building or a compound gate; prefer
     * {@link #checkAtDevice} when the device is known.
     *
     * @param code the 6 digits typed at the gate, or the QR payload {@code GH1:<passId>:<code>}
     * @param gate the gate's name ({@link org.gatehouse.api.model.Device#gate()})
     */
    PassCheck check(Scope scope, String communityId, String code, String gate, Instant at);

    /**
     * A check at the gate of the registered device {@code deviceId} (read from the store): its gate name and its
     * building decide, so a terminal cannot claim another door. Unknown or out-of-scope device:
     * {@link org.gatehouse.api.service.NotFoundException}.
     */
    PassCheck checkAtDevice(Scope scope, String deviceId, String code, Instant at);

    /**
     * As {@link #checkAtDevice}, but a pass that would open is <b>not used</b>: the answer says it opens (with the
     * uses left now) and nothing is logged; a refusal is throttled and logged as by {@link #checkAtDevice}. A gate
     * that still has checks to run before it opens (screening after identity) asks this first and calls
     * {@link #checkAtDevice} only once the passage will open, so a visitor denied for another reason keeps the use.
     * The use then is counted atomically as always; a pass used up meanwhile is refused by that call.
     */
    PassCheck peekAtDevice(Scope scope, String deviceId, String code, Instant at);
}
