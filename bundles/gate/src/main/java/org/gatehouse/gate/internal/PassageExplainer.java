package org.gatehouse.gate.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.MessageBundle;
import org.gatehouse.gate.api.GateReason;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A passage's decision in words, in the caller's language: the stored reasons are codes and numbers
 * ({@link DecisionCodec}); names (the resident, the building, the door) are looked up now, in the caller's scope, so
 * a name changed or erased since is shown as it is now (an erased person shows as their id).
 */
@Component(service = PassageExplainer.class)
public class PassageExplainer {
    /** The explanation of one passage. */
    public record Explanation(String passageId, Verdict verdict, Instant occurredAt, String deviceId,
                              SubjectType subjectType, String subjectId, String summary, List<String> lines,
                              List<GateReason> reasons) {
    }

    private static final MessageBundle M = Messages.MESSAGES;
    private final PassageRepository passages;
    private final HouseholdRepository households;
    private final CommunityRepository communities;
    private final DeviceRepository devices;

    @Activate
    public PassageExplainer(@Reference PassageRepository passages, @Reference HouseholdRepository households,
                            @Reference CommunityRepository communities, @Reference DeviceRepository devices) {
        this.passages = passages;
        this.households = households;
        this.communities = communities;
        this.devices = devices;
    }

    public Explanation explain(Scope scope, String passageId, Locale locale) {
        PassageEvent p = passages.passage(scope, passageId).orElseThrow(() -> new NotFoundException("passage", passageId));
        return explain(scope, p, locale);
    }

    public Explanation explain(Scope scope, PassageEvent p, Locale locale) {
        List<GateReason> reasons = DecisionCodec.decode(p.decision());
        Optional<Device> device = devices.device(scope, p.deviceId());
        String door = device.map(Device::gate).orElse(p.deviceId());
        List<String> lines = new ArrayList<>();
        for (GateReason r : reasons) {
            lines.add(line(scope, r, door, locale));
        }
        String verdict = M.get(locale, p.decision().verdict() == Verdict.ALLOW ? "explain.allowed" : "explain.denied",
                door, time(p.occurredAt(), locale));
        return new Explanation(p.id(), p.decision().verdict(), p.occurredAt(), p.deviceId(), p.subjectType(),
                p.subjectId(), verdict + " " + String.join(M.get(locale, "explain.separator"), lines), lines, reasons);
    }

    private String line(Scope scope, GateReason r, String door, Locale locale) {
        Map<String, String> f = DecisionCodec.fields(r.ref());
        String subject = f.containsKey("subject") ? person(scope, f.get("subject")) : "";
        String value = r.value() == null ? "—" : String.format(Locale.ROOT, "%.2f", r.value());
        String threshold = r.threshold() == null ? "—" : String.format(Locale.ROOT, "%.2f", r.threshold());
        String code = r.code();
        return switch (code) {
            case "FACE_ACCEPTED" -> M.get(locale, "reason.FACE_ACCEPTED", subject, value, threshold,
                    integer(f.get("gallery")));
            case "FACE_VERIFY" -> M.get(locale, "reason.FACE_VERIFY", value, threshold, f.getOrDefault("verify", "—"));
            case "FACE_REJECTED" -> M.get(locale, "reason.FACE_REJECTED", value, threshold, integer(f.get("gallery")));
            case "FACE_VERIFIED" -> M.get(locale, "reason.FACE_VERIFIED", subject, value, threshold,
                    kind(f.get("second"), locale));
            case "FACE_MISMATCH" -> M.get(locale, "reason.FACE_MISMATCH", subject, value, threshold,
                    kind(f.get("kind"), locale));
            case "CREDENTIAL_VALID" -> M.get(locale, "reason.CREDENTIAL_VALID", kind(f.get("kind"), locale), subject);
            case "CREDENTIAL_UNKNOWN", "CREDENTIAL_MISMATCH", "TOO_MANY_ATTEMPTS" ->
                    M.get(locale, "reason." + code, kind(f.get("kind"), locale));
            case "LEASE_VALID" -> f.containsKey("until")
                    ? M.get(locale, "reason.LEASE_VALID", time(instant(f.get("until")), locale))
                    : M.get(locale, "reason.LEASE_OPEN");
            case "LEASE_ENDED" -> M.get(locale, "reason.LEASE_ENDED", time(instant(f.get("until")), locale));
            case "NOT_YET_VALID" -> M.get(locale, "reason.NOT_YET_VALID", time(instant(f.get("from")), locale));
            case "OWN_BUILDING" -> M.get(locale, "reason.OWN_BUILDING", building(scope, f.get("building")));
            case "OTHER_BUILDING" -> M.get(locale, "reason.OTHER_BUILDING", building(scope, f.get("building")),
                    f.containsKey("home") ? building(scope, f.get("home")) : "—");
            case "PASS_VALID" -> M.get(locale, "reason.PASS_VALID", r.value() == null ? 0 : r.value().intValue());
            case "SCREENING_PASSED", "SCREENING_FAILED", "SCREENING_FLAGGED", "SCREENING_NOT_MEASURED" ->
                    M.get(locale, "reason." + code, f.getOrDefault("check", "?"), f.getOrDefault("code", ""), value,
                            threshold, f.getOrDefault("mode", ""));
            case "DOOR_OPENED" -> M.get(locale, "reason.DOOR_OPENED", door, f.getOrDefault("adapter", ""));
            case "DOOR_FAILED" -> M.get(locale, "reason.DOOR_FAILED", door, f.getOrDefault("adapter", ""),
                    f.getOrDefault("reason", ""));
            case "LIVENESS_PASSED", "LIVENESS_FAILED", "LIVENESS_FLAGGED" ->
                    M.get(locale, "reason." + code, value, threshold, f.getOrDefault("mode", ""));
            case "REMOTE_OPEN" -> M.get(locale, "reason.REMOTE_OPEN", f.getOrDefault("actor", "—"),
                    f.containsKey("subject") ? subject : f.getOrDefault("household", "—"));
            case "POLICY_VERSION" -> M.get(locale, "reason.POLICY_VERSION", f.getOrDefault("version", ""));
            default -> {
                if (code.startsWith("PASS_")) {
                    yield M.get(locale, "reason.PASS_REFUSED", M.get(locale, "pass." + code.substring(5)));
                }
                String text = M.get(locale, "reason." + code, subject);
                yield text.equals("reason." + code) ? code + (r.ref().isEmpty() ? "" : " (" + r.ref() + ")") : text;
            }
        };
    }

    private String person(Scope scope, String residentId) {
        try {
            return households.resident(scope, residentId).map(Resident::name).orElse(residentId);
        } catch (RuntimeException e) {
            return residentId;
        }
    }

    private String building(Scope scope, String buildingId) {
        if (buildingId == null) {
            return "—";
        }
        try {
            return communities.building(scope, buildingId).map(Building::name).orElse(buildingId);
        } catch (RuntimeException e) {
            return buildingId;
        }
    }

    private static String kind(String kind, Locale locale) {
        if (kind == null) {
            return "—";
        }
        String text = M.get(locale, "kind." + kind);
        return text.equals("kind." + kind) ? kind : text;
    }

    private static Object integer(String s) {
        try {
            return s == null ? "—" : Long.valueOf(s);
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String time(Instant at, Locale locale) {
        if (at == null) {
            return "—";
        }
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", locale == null ? Locale.ROOT : locale)
                .withZone(ZoneId.systemDefault()).format(at);
    }
}
