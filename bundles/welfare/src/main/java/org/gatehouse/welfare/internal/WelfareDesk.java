package org.gatehouse.welfare.internal;

import java.time.Instant;
import java.util.List;

import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.model.WelfareOutcome;
import org.gatehouse.core.api.Caller;

/**
 * Welfare alerts and cases for the people who act on them, in the caller's communities only: list (no personal
 * record), view (the record; each view audited), acknowledge (who went, when, what they found), close.
 */
public interface WelfareDesk {
    List<CaseLine> list(Caller caller, String communityId, AlertStatus status, AlertType kind, int limit);

    CaseView view(Caller caller, String id);

    WelfareCase acknowledge(Caller caller, String id, Acknowledgement ack);

    WelfareCase close(Caller caller, String id, String reason);

    /** One line of a list: what, where, how far; no name, no phone, no evidence. */
    record CaseLine(String id, String communityId, AlertType kind, AlertStatus status, String subjectId,
                    Instant raisedAt, int escalationLevel, String message) {
    }

    /** An acknowledgement as the caller sends it; {@code visitedAt} null = now, {@code visitedBy} null = the caller. */
    record Acknowledgement(String visitedBy, Instant visitedAt, String outcome, String finding) {
    }

    /** A case with the photo-free record of the person (inactivity) or of the flat (cases). */
    record CaseView(WelfareCase welfareCase, PersonRecord person, FlatRecord flat) {
    }

    /** Name, age, flat, last passage (door, time), the contacts the office entered (the phone). */
    record PersonRecord(String residentId, String name, Integer age, String flat, String lastPassageDoor,
                        Instant lastPassageAt, String phone, java.util.Set<CareFlag> careFlags) {
    }

    /** The flat and its registered members (names and roles). */
    record FlatRecord(String householdId, String flat, List<Member> members) {
    }

    record Member(String residentId, String name, ResidentRole role) {
    }

    /** {@code WelfareOutcome} by name; a bad name is refused by the caller of this. */
    static WelfareOutcome outcome(String name) {
        return name == null ? null : WelfareOutcome.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
