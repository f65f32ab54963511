package org.gatehouse.welfare.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.VisitorRepository;
import org.gatehouse.api.service.WelfareCaseRepository;

/**
 * Cases for the office about flats, as of a time: an idle flat (房屋闲置: no member passed in person for
 * {@code idleDays}) and sublease signs (转租: the registered residents unseen for {@code subleaseAbsentDays} while the
 * same unregistered people keep being registered as the flat's visitors, the residents keep opening the door from the
 * app, or unknown faces keep coming to the doors of the flat's building). Purpose limit: these analyses read passages,
 * visitors and their passes, and the whitelist (households, residents, flats, devices) only, and each case says so.
 * A case's id is derived from the flat and the last time a member was seen, so a re-run opens nothing twice.
 */
final class FlatCases {
    static final String IDLE_PURPOSE = "Housing management, idle flats: reads passages and the whitelist only; a "
            + "sign for the office to check, not a finding.";
    static final String SUBLEASE_PURPOSE = "Housing management, sublease signs: reads passages, visitor passes and "
            + "the whitelist only; a sign for the office to check, not a finding.";
    private final HouseholdRepository households;
    private final PassageRepository passages;
    private final VisitorRepository visitors;
    private final WelfareCaseRepository cases;
    private final Places places;

    FlatCases(HouseholdRepository households, PassageRepository passages, VisitorRepository visitors,
              WelfareCaseRepository cases, Places places) {
        this.households = households;
        this.passages = passages;
        this.visitors = visitors;
        this.cases = cases;
        this.places = places;
    }

    /** When a member of the flat was last seen in person, and how. */
    private record Seen(Instant at, PassageEvent passage) {
    }

    void run(String communityId, WelfareConfig config, Instant asOf, CheckReport report) {
        List<PassageEvent> window = null;
        List<Visitor> visitorsOfCommunity = null;
        Duration absent = Duration.ofDays(config.subleaseAbsentDays());
        for (Household household : households.households(Scope.all(), communityId)) {
            List<Resident> members = households.residents(Scope.all(), household.id()).stream()
                    .filter(r -> r.isValidAt(asOf)).toList();
            if (members.isEmpty()) {
                continue;
            }
            Seen seen = lastSeen(household, members, asOf);
            if (seen.at() == null || seen.at().isAfter(asOf)) {
                continue;
            }
            Instant idleDue = seen.at().plus(Duration.ofDays(config.idleDays()));
            if (!asOf.isBefore(idleDue) && !seenSince(household, members, seen.at())) {
                openIdle(household, members, seen, idleDue, asOf, report);
            }
            Instant subleaseFrom = asOf.minus(absent);
            if (seen.at().isAfter(subleaseFrom) || seenSince(household, members, seen.at())) {
                continue;
            }
            if (window == null) {
                window = passages.passages(Scope.all(), communityId, subleaseFrom, asOf.plusNanos(1000), 10_000);
                visitorsOfCommunity = visitors.visitors(Scope.all(), communityId, null, 10_000);
            }
            List<String> signs = signs(household, members, subleaseFrom, asOf, window, visitorsOfCommunity, config);
            if (!signs.isEmpty()) {
                openSublease(household, members, seen, signs, absent, asOf, report);
            }
        }
    }

    private Seen lastSeen(Household household, List<Resident> members, Instant asOf) {
        Seen best = null;
        for (Resident r : members) {
            Optional<PassageEvent> p = Presence.last(passages, r.communityId(), r.id(), asOf, Presence::inPerson);
            if (p.isPresent() && (best == null || best.passage() == null || p.get().occurredAt().isAfter(best.at()))) {
                best = new Seen(p.get().occurredAt(), p.get());
            }
        }
        if (best != null) {
            return best;
        }
        Instant start = members.stream().map(Resident::validFrom).filter(v -> v != null).max(Comparator.naturalOrder())
                .orElse(household.createdAt());
        return new Seen(start, null);
    }

    /** Whether any member passed in person after {@code at} (also beyond the time evaluated: a clock set back). */
    private boolean seenSince(Household household, List<Resident> members, Instant at) {
        return members.stream().anyMatch(r -> Presence.after(passages, household.communityId(), r.id(), at, null,
                Presence::inPerson).isPresent());
    }

    private List<String> seenLines(Seen seen) {
        return List.of(seen.passage() == null ? "No member passed in person since the record started " + seen.at()
                : "Last passage in person by a member " + seen.at() + " at " + places.door(seen.passage().deviceId()));
    }

    private void openIdle(Household household, List<Resident> members, Seen seen, Instant due, Instant asOf,
                          CheckReport report) {
        String id = "welfare-idle-" + household.id() + "-" + seen.at().getEpochSecond();
        if (cases.welfareCase(Scope.all(), id).isPresent()) {
            return;
        }
        List<String> evidence = new ArrayList<>(seenLines(seen));
        evidence.add(members.size() + " registered member(s); no passage in person for "
                + Duration.between(seen.at(), asOf).toDays() + " days");
        String message = "Idle flat " + places.flat(household.unitId()) + ": no member passed in person since "
                + seen.at();
        open(id, AlertType.IDLE_UNIT, household, seen.at(), due, asOf, message, evidence, IDLE_PURPOSE, report);
    }

    private List<String> signs(Household household, List<Resident> members, Instant from, Instant asOf,
                               List<PassageEvent> window, List<Visitor> all, WelfareConfig config) {
        List<String> signs = new ArrayList<>();
        // the same unregistered people registered as the flat's visitors again and again
        Map<String, List<Visitor>> byPerson = new LinkedHashMap<>();
        for (Visitor v : all) {
            Instant at = v.createdAt() == null ? v.expectedFrom() : v.createdAt();
            if (v.hostHouseholdId().equals(household.id()) && !at.isBefore(from) && !at.isAfter(asOf)) {
                byPerson.computeIfAbsent(personKey(v), k -> new ArrayList<>()).add(v);
            }
        }
        for (List<Visitor> visits : byPerson.values()) {
            if (visits.size() >= config.subleaseRepeatVisits()) {
                int passes = visits.stream().mapToInt(v -> visitors.passesOf(Scope.all(), v.id()).size()).sum();
                signs.add("Visitor " + visits.get(0).name() + " registered " + visits.size() + " times for the flat "
                        + "(" + passes + " pass(es)) between " + from + " and " + asOf);
            }
        }
        // one-click opens by the flat's residents while none of them passes in person
        int remote = 0;
        for (Resident r : members) {
            remote += (int) Presence.between(passages, household.communityId(), r.id(), from, asOf).stream()
                    .filter(p -> Presence.counts(p) && Presence.remoteOpen(p)).count();
        }
        if (remote >= config.subleaseRemoteOpens()) {
            signs.add(remote + " one-click open(s) from the app by the flat's residents between " + from + " and "
                    + asOf + ", while none of them passed in person");
        }
        // unknown faces at the doors of the flat's building
        Optional<String> building = places.unit(household.unitId()).map(Unit::buildingId);
        if (building.isPresent()) {
            int tries = 0;
            int allowed = 0;
            for (PassageEvent p : window) {
                boolean unknownFace = p.subjectType() == SubjectType.STRANGER
                        || (p.subjectType() == SubjectType.UNKNOWN && p.credentialKind() == CredentialKind.FACE);
                if (unknownFace && p.direction() != Direction.OUT
                        && building.get().equals(places.device(p.deviceId()).map(Device::buildingId).orElse(null))) {
                    tries++;
                    allowed += p.decision().allowed() ? 1 : 0;
                }
            }
            if (tries >= config.subleaseUnknownEntries()) {
                signs.add(tries + " passage(s) of unknown faces at the doors of the flat's building between " + from
                        + " and " + asOf + " (" + allowed + " let in)");
            }
        }
        return signs;
    }

    /** Who a visitor is across registrations: the keyed hash of the ID card, else the phone, else the name. */
    static String personKey(Visitor v) {
        if (v.idCardHash() != null && !v.idCardHash().isBlank()) {
            return "id:" + v.idCardHash();
        }
        if (v.phone() != null && !v.phone().isBlank()) {
            return "phone:" + v.phone().replaceAll("[^0-9+]", "");
        }
        return "name:" + v.name().strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    private void openSublease(Household household, List<Resident> members, Seen seen, List<String> signs,
                              Duration absent, Instant asOf, CheckReport report) {
        String id = "welfare-sublease-" + household.id() + "-" + seen.at().getEpochSecond();
        if (cases.welfareCase(Scope.all(), id).isPresent()) {
            return;
        }
        List<String> evidence = new ArrayList<>(seenLines(seen));
        evidence.add(members.size() + " registered member(s), none seen in person for at least " + absent.toDays()
                + " days");
        evidence.addAll(signs);
        String message = "Sublease signs at flat " + places.flat(household.unitId()) + ": " + signs.size()
                + " sign(s) while the registered residents are not seen";
        open(id, AlertType.SUBLEASE_SIGNAL, household, seen.at(), seen.at().plus(absent), asOf, message, evidence,
                SUBLEASE_PURPOSE, report);
    }

    private void open(String id, AlertType kind, Household household, Instant since, Instant due, Instant asOf,
                      String message, List<String> evidence, String purpose, CheckReport report) {
        Alert alert = new Alert(id, household.communityId(), kind, AlertSeverity.INFO, AlertStatus.OPEN,
                household.id(), message, asOf, null);
        cases.open(alert, new WelfareCase(id, household.communityId(), kind, AlertStatus.OPEN, household.id(),
                household.id(), since, due, asOf, message, List.of(), null, null, null, null, null, null, null,
                evidence, purpose));
        report.opened(id);
    }
}
