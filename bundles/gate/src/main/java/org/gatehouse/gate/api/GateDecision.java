package org.gatehouse.gate.api;

import java.time.Instant;
import java.util.List;

import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;

/**
 * The answer to a terminal.
 *
 * @param passageId             the recorded passage (explain it with {@code GET /api/passages/{id}/explanation});
 *                              null when nothing was recorded yet (second factor requested)
 * @param verdict               open or not
 * @param faceBand              {@code ACCEPT}, {@code VERIFY} or {@code REJECT} when a face was used, else null
 * @param secondFactorRequested the face fell in the verify band: present a card, app code or PIN within the window
 * @param subjectType           who it was taken to be
 * @param subjectId             the resident or visitor pass id; null for a stranger
 * @param reasons               every reason, score and threshold, in the order they were found
 * @param policyVersion         the policy version label the decision was made under
 * @param door                  what became of the door command
 * @param recorded              how the passage was kept: {@code STORED}, {@code DUPLICATE}, {@code JOURNALLED}, or
 *                              {@code NOT_RECORDED} (second factor requested)
 * @param decidedAt             when
 */
public record GateDecision(String passageId, Verdict verdict, String faceBand, boolean secondFactorRequested,
                           SubjectType subjectType, String subjectId, List<GateReason> reasons, String policyVersion,
                           DoorOutcome door, String recorded, Instant decidedAt) {
    public GateDecision {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }
}
