package org.gatehouse.welfare.internal;

import static org.gatehouse.welfare.internal.Messages.MESSAGES;

import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.model.WelfareOutcome;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.WelfareCaseRepository;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link WelfareDesk}: reads in the caller's scope (a case of another community is 404, as everywhere); acting on a
 * case of another community (acknowledge, close) is refused with 403 and audited as {@code welfare.<action>.refused}.
 * Each view of a case audits {@code welfare.view} about the person (or the household) it shows.
 */
@Component(service = WelfareDesk.class)
public class WelfareDeskImpl implements WelfareDesk {
    private final WelfareCaseRepository cases;
    private final HouseholdRepository households;
    private final PassageRepository passages;
    private final Places places;
    private final AuditTrail audit;
    private final Clock clock;
    private final java.time.ZoneId defaultZone;
    private final WelfareSettings settings;

    @Activate
    public WelfareDeskImpl(@Reference WelfareCaseRepository cases, @Reference HouseholdRepository households,
                           @Reference PassageRepository passages, @Reference CommunityRepository communities,
                           @Reference DeviceRepository devices, @Reference AuditTrails trails,
                           @Reference WelfareSettings settings, @Reference WelfareChecks checks) {
        this(cases, households, passages, new Places(communities, devices), trails.of("welfare"), settings,
                checks.clock());
    }

    WelfareDeskImpl(WelfareCaseRepository cases, HouseholdRepository households, PassageRepository passages,
                    Places places, AuditTrail audit, WelfareSettings settings, Clock clock) {
        this.cases = cases;
        this.households = households;
        this.passages = passages;
        this.places = places;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
        this.defaultZone = java.time.ZoneId.of("Asia/Shanghai");
    }

    @Override
    public List<CaseLine> list(Caller caller, String communityId, AlertStatus status, AlertType kind, int limit) {
        if (communityId != null && !caller.scope().allows(communityId)) {
            throw new NotFoundException("community", communityId);
        }
        return cases.cases(caller.scope(), communityId, status, kind, limit).stream()
                .map(c -> new CaseLine(c.alertId(), c.communityId(), c.kind(), c.status(), c.subjectId(),
                        c.raisedAt(), c.escalationLevel(), c.message())).toList();
    }

    @Override
    public CaseView view(Caller caller, String id) {
        WelfareCase c = cases.welfareCase(caller.scope(), id).orElseThrow(() -> new NotFoundException("welfare case",
                id));
        audit.record(caller.name(), "welfare.view", c.communityId(), c.subjectId(), c.kind() + " " + c.alertId());
        if (c.kind() == AlertType.WELFARE_INACTIVITY) {
            return new CaseView(c, person(c), null);
        }
        return new CaseView(c, null, flat(c));
    }

    private PersonRecord person(WelfareCase c) {
        Optional<Resident> found = households.resident(Scope.all(), c.subjectId());
        if (found.isEmpty()) {
            return null;
        }
        Resident r = found.get();
        Instant now = clock.instant();
        java.time.ZoneId zone = Optional.ofNullable(settings.rules(c.communityId())).map(CommunityRules::zone)
                .orElse(defaultZone);
        Integer age = r.birthDate() == null ? null
                : Period.between(r.birthDate(), now.atZone(zone).toLocalDate()).getYears();
        String flat = households.household(Scope.all(), r.householdId()).map(h -> places.flat(h.unitId()))
                .orElse(r.householdId());
        Optional<PassageEvent> last = Presence.last(passages, r.communityId(), r.id(),
                now.isAfter(c.raisedAt()) ? now : c.raisedAt(), Presence::counts);
        return new PersonRecord(r.id(), r.name(), age, flat, last.map(p -> places.door(p.deviceId())).orElse(null),
                last.map(PassageEvent::occurredAt).orElse(null), r.phone(), r.careFlags());
    }

    private FlatRecord flat(WelfareCase c) {
        Optional<Household> h = households.household(Scope.all(), c.householdId());
        if (h.isEmpty()) {
            return null;
        }
        List<Member> members = households.residents(Scope.all(), h.get().id()).stream()
                .map(r -> new Member(r.id(), r.name(), r.role())).toList();
        return new FlatRecord(h.get().id(), places.flat(h.get().unitId()), members);
    }

    @Override
    public WelfareCase acknowledge(Caller caller, String id, Acknowledgement ack) {
        WelfareCase c = inCallersCommunity(caller, id, "acknowledge");
        if (ack == null || ack.outcome() == null || ack.outcome().isBlank()) {
            throw MESSAGES.badRequest("welfare.outcomeRequired");
        }
        WelfareOutcome outcome;
        try {
            outcome = WelfareDesk.outcome(ack.outcome());
        } catch (IllegalArgumentException e) {
            throw MESSAGES.badRequest("welfare.outcomeUnknown", ack.outcome());
        }
        if (outcome == WelfareOutcome.OTHER && (ack.finding() == null || ack.finding().isBlank())) {
            throw MESSAGES.badRequest("welfare.findingRequired");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant visitedAt = ack.visitedAt() == null ? now : ack.visitedAt();
        if (visitedAt.isAfter(now.plusSeconds(300))) {
            throw MESSAGES.badRequest("welfare.visitInFuture", visitedAt);
        }
        if (c.status() == AlertStatus.CLOSED) {
            throw MESSAGES.conflict("CASE_CLOSED", "welfare.closed", c.closedBy(), c.closedAt());
        }
        String by = ack.visitedBy() == null || ack.visitedBy().isBlank() ? caller.name() : ack.visitedBy().strip();
        WelfareCase acked = cases.acknowledge(caller.scope(), id, by, visitedAt, outcome, ack.finding());
        audit.record(caller.name(), "welfare.acknowledge", c.communityId(), c.subjectId(),
                outcome + " by " + by + " at " + visitedAt);
        return acked;
    }

    @Override
    public WelfareCase close(Caller caller, String id, String reason) {
        WelfareCase c = inCallersCommunity(caller, id, "close");
        if (c.status() == AlertStatus.CLOSED) {
            throw MESSAGES.conflict("CASE_CLOSED", "welfare.closed", c.closedBy(), c.closedAt());
        }
        WelfareCase closed = cases.close(caller.scope(), id, caller.name(),
                clock.instant().truncatedTo(ChronoUnit.MICROS), reason);
        audit.record(caller.name(), "welfare.close", c.communityId(), c.subjectId(), reason == null ? "" : reason);
        return closed;
    }

    /** The case, if the caller's communities include its community; else refused (403) and audited. */
    private WelfareCase inCallersCommunity(Caller caller, String id, String action) {
        WelfareCase c = cases.welfareCase(Scope.all(), id).orElseThrow(() -> new NotFoundException("welfare case",
                id));
        if (!caller.scope().allows(c.communityId())) {
            audit.refused(caller.name(), "welfare." + action + ".refused", c.communityId(), c.subjectId(),
                    "caller outside the community");
            throw MESSAGES.refusal(403, "OUTSIDE_COMMUNITY", "welfare.outsideCommunity");
        }
        return c;
    }
}
