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
     * @param code the 6 digits typed at the gate, or the QR payload {@code GH1:<passId>:<code>}
     * @param gate the gate's name ({@link org.gatehouse.api.model.Device#gate()})
     */
    PassCheck check(Scope scope, String communityId, String code, String gate, Instant at);
}
