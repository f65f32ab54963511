package org.gatehouse.gate.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.gatehouse.gate.api.GateReason;
import org.gatehouse.recognition.api.DetectedFace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness per community ({@code livenessModes}, {@code defaultLiveness}, {@code livenessThreshold}): OFF ignores the
 * engine's liveness score, SOFT allows a face below the threshold and flags it ({@code LIVENESS_FLAGGED}), HARD denies
 * it ({@code LIVENESS_FAILED}). A face without a score (none reported, NaN) is below every threshold: a hard rule
 * cannot be dodged by a frame the engine could not score.
 */
final class LivenessRule {
    private static final Logger LOG = LoggerFactory.getLogger(LivenessRule.class);

    enum Mode {
        OFF, SOFT, HARD
    }

    /** What the rule says about one face: the reason to record (null when OFF) and whether it denies. */
    record Verdict(GateReason reason, boolean denies, boolean flagged) {
        static final Verdict IGNORED = new Verdict(null, false, false);
    }

    private final Map<String, Mode> modes = new HashMap<>();
    private final Mode defaultMode;
    private final double threshold;

    LivenessRule(GateConfig config) {
        this.defaultMode = mode(config.defaultLiveness(), Mode.OFF, "defaultLiveness");
        CommunitySettings.parse(config.livenessModes()).forEach((community, m) ->
                modes.put(community, mode(m, Mode.HARD, "livenessModes " + community)));
        double t = config.livenessThreshold();
        this.threshold = Double.isNaN(t) ? 0.5 : Math.max(0, Math.min(1, t));
    }

    /** An unreadable mode: OFF for the default (as shipped), HARD for a community someone meant to protect. */
    private static Mode mode(String text, Mode fallback, String where) {
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            LOG.warn("Gate liveness setting {} '{}' is not OFF, SOFT or HARD: using {}", where, text, fallback);
            return fallback;
        }
    }

    Mode mode(String communityId) {
        return modes.getOrDefault(communityId, defaultMode);
    }

    double threshold() {
        return threshold;
    }

    Verdict judge(String communityId, DetectedFace face) {
        Mode mode = mode(communityId);
        if (mode == Mode.OFF) {
            return Verdict.IGNORED;
        }
        float score = face == null ? Float.NaN : face.livenessScore();
        boolean measured = !Float.isNaN(score);
        Double value = measured ? GateDecisionsImpl.num(score) : null;
        Double limit = GateDecisionsImpl.num((float) threshold);
        String ref = "mode=" + mode + (measured ? "" : ";missing=true");
        if (measured && score >= threshold) {
            return new Verdict(new GateReason("LIVENESS_PASSED", value, limit, ref), false, false);
        }
        boolean hard = mode == Mode.HARD;
        return new Verdict(new GateReason(hard ? "LIVENESS_FAILED" : "LIVENESS_FLAGGED", value, limit, ref), hard,
                !hard);
    }
}
