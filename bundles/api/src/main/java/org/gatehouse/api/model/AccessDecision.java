package org.gatehouse.api.model;

import java.util.List;
import java.util.Map;

/** The verdict for one passage with every reason and score that led to it. */
public record AccessDecision(Verdict verdict, List<DecisionReason> reasons, Map<String, Double> scores) {
    public AccessDecision {
        Validation.require(verdict, "verdict");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        scores = scores == null ? Map.of() : Map.copyOf(scores);
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }
}
