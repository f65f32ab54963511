package org.gatehouse.gate.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.gatehouse.api.model.AccessDecision;
import org.gatehouse.api.model.DecisionReason;
import org.gatehouse.gate.api.GateReason;

/**
 * How a gate decision's reasons are kept in the passage ({@link AccessDecision}): each {@link GateReason} becomes a
 * {@link DecisionReason} whose detail is {@code value=…;threshold=…;key=value;…} — codes, ids and numbers only — and
 * the numbers also go into the decision's scores (e.g. {@code face.score}, {@code face.threshold}).
 */
final class DecisionCodec {
    private DecisionCodec() {
    }

    static DecisionReason encode(GateReason r) {
        StringBuilder b = new StringBuilder();
        if (r.value() != null) {
            b.append("value=").append(number(r.value())).append(';');
        }
        if (r.threshold() != null) {
            b.append("threshold=").append(number(r.threshold())).append(';');
        }
        b.append(r.ref());
        String detail = b.toString();
        return new DecisionReason(r.code(), detail.endsWith(";") ? detail.substring(0, detail.length() - 1) : detail);
    }

    static GateReason decode(DecisionReason r) {
        Map<String, String> fields = fields(r.detail());
        Double value = parse(fields.remove("value"));
        Double threshold = parse(fields.remove("threshold"));
        StringBuilder ref = new StringBuilder();
        fields.forEach((k, v) -> ref.append(ref.length() == 0 ? "" : ";").append(k).append('=').append(v));
        return new GateReason(r.code(), value, threshold, ref.toString());
    }

    static List<GateReason> decode(AccessDecision d) {
        List<GateReason> out = new ArrayList<>();
        for (DecisionReason r : d.reasons()) {
            out.add(decode(r));
        }
        return out;
    }

    /** {@code k=v;k=v} as an ordered map; a part without '=' is kept under its own name with an empty value. */
    static Map<String, String> fields(String ref) {
        Map<String, String> out = new LinkedHashMap<>();
        if (ref == null || ref.isBlank()) {
            return out;
        }
        for (String part : ref.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                out.put(part, "");
            } else {
                out.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return out;
    }

    static String number(double v) {
        return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static Double parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Double.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
