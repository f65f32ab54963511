package org.gatehouse.welfare.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.model.WelfareCase.Escalation;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.WelfareCaseRepository;
import org.gatehouse.welfare.internal.CommunityRules.Contact;

/**
 * The inactivity watch (未出门预警) of one community as of a time. An episode starts at a resident's last passage that
 * counts ({@link Presence#counts}; without any, at the start of the resident's record) and is due when the threshold
 * has passed, deferred to the end of quiet hours. Its alert id is derived from the resident and the episode's start,
 * so evaluating the same moment twice, or an earlier one, never opens a second alert nor re-opens a closed one; an
 * episode that a later passage already ended is not opened at all. Only residents with a watched care flag, valid as of
 * the time, are watched.
 */
final class InactivityWatch {
    static final String PURPOSE = "Welfare of residents the office flagged (living alone, needs attention): reads "
            + "passages and the whitelist only.";
    private final HouseholdRepository households;
    private final PassageRepository passages;
    private final WelfareCaseRepository cases;
    private final Places places;

    InactivityWatch(HouseholdRepository households, PassageRepository passages, WelfareCaseRepository cases,
                    Places places) {
        this.households = households;
        this.passages = passages;
        this.cases = cases;
        this.places = places;
    }

    static Set<CareFlag> watched(String[] names) {
        Set<CareFlag> flags = EnumSet.noneOf(CareFlag.class);
        for (String name : names == null ? new String[0] : names) {
            try {
                flags.add(CareFlag.valueOf(name.trim()));
            } catch (IllegalArgumentException e) {
                // an unknown flag watches nobody; WelfareChecksImpl reports it
            }
        }
        return flags;
    }

    /** Closes episodes a passage ended, escalates unanswered alerts, opens the alerts now due. */
    void run(String communityId, CommunityRules rules, Set<CareFlag> flags, Instant asOf, CheckReport report) {
        closeEndedEpisodes(communityId, asOf, report);
        escalate(communityId, rules, asOf, report);
        for (Household household : households.households(Scope.all(), communityId)) {
            for (Resident resident : households.residents(Scope.all(), household.id())) {
                if (resident.careFlags().stream().noneMatch(flags::contains) || !resident.isValidAt(asOf)) {
                    continue;
                }
                watch(household, resident, rules, asOf, report);
            }
        }
    }

    private void watch(Household household, Resident resident, CommunityRules rules, Instant asOf,
                       CheckReport report) {
        String cid = resident.communityId();
        Optional<PassageEvent> last = Presence.last(passages, cid, resident.id(), asOf, Presence::counts);
        Instant since = last.map(PassageEvent::occurredAt)
                .orElse(resident.validFrom() != null ? resident.validFrom() : household.createdAt());
        if (since == null || since.isAfter(asOf)) {
            return;
        }
        Duration threshold = rules.inactivityOf(resident.id());
        Instant due = rules.fireAt(since.plus(threshold));
        if (asOf.isBefore(due)) {
            return;
        }
        String id = "welfare-inactivity-" + resident.id() + "-" + since.getEpochSecond();
        if (cases.welfareCase(Scope.all(), id).isPresent()) {
            return;
        }
        // as of an earlier moment than what is stored (a clock set back): an episode a passage already ended stays shut
        if (Presence.after(passages, cid, resident.id(), since, null, Presence::counts).isPresent()) {
            return;
        }
        List<String> evidence = new ArrayList<>();
        evidence.add(last.map(p -> "Last passage " + p.occurredAt() + " at " + places.door(p.deviceId()) + " ("
                        + p.direction() + ")")
                .orElse("No passage since the record started " + since));
        evidence.add("Threshold " + threshold.toHours() + " h" + (rules.quietHours() == null ? ""
                : ", quiet hours " + rules.quietHours() + " " + rules.zone()) + "; due " + due);
        List<Escalation> told = new ArrayList<>();
        for (int i = 0; i < Math.min(rules.initialContacts(), rules.contacts().size()); i++) {
            Contact c = rules.contacts().get(i);
            told.add(new Escalation(i, c.role(), c.name(), c.channel(), asOf));
        }
        long hours = Duration.between(since, asOf).toHours();
        String message = "Welfare: no passage for " + hours + " h by a watched resident of flat "
                + places.flat(household.unitId()) + " (since " + since + ")";
        Alert alert = new Alert(id, cid, AlertType.WELFARE_INACTIVITY, AlertSeverity.CRITICAL, AlertStatus.OPEN,
                resident.id(), message, asOf, null);
        WelfareCase opened = cases.open(alert, new WelfareCase(id, cid, AlertType.WELFARE_INACTIVITY,
                AlertStatus.OPEN, resident.id(), household.id(), since, due, asOf, message, told, null, null, null,
                null, null, null, null, evidence, PURPOSE));
        report.opened(opened.alertId());
    }

    /** A passage after the episode's start (up to {@code asOf}) closes its alert by itself, and says so. */
    void closeEndedEpisodes(String communityId, Instant asOf, CheckReport report) {
        for (AlertStatus status : List.of(AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)) {
            for (WelfareCase c : cases.cases(Scope.all(), communityId, status, AlertType.WELFARE_INACTIVITY, 10_000)) {
                if (c.since() == null) {
                    continue;
                }
                Presence.after(passages, communityId, c.subjectId(), c.since(), asOf, Presence::counts)
                        .ifPresent(p -> {
                            closeByPassage(c, p);
                            report.closed(c.alertId());
                        });
            }
        }
    }

    /** Closes {@code c} because of passage {@code p}; false when it was closed meanwhile. */
    boolean closeByPassage(WelfareCase c, PassageEvent p) {
        try {
            cases.close(Scope.all(), c.alertId(), "passage", p.occurredAt(), "Closed by itself: the resident passed "
                    + places.door(p.deviceId()) + " (" + p.direction() + ") at " + p.occurredAt() + ", passage "
                    + p.id());
            return true;
        } catch (org.gatehouse.api.service.ConflictException e) {
            return false;
        }
    }

    private void escalate(String communityId, CommunityRules rules, Instant asOf, CheckReport report) {
        for (WelfareCase c : cases.cases(Scope.all(), communityId, AlertStatus.OPEN, AlertType.WELFARE_INACTIVITY,
                10_000)) {
            int level = c.escalationLevel();
            int next = level + 1;
            if (next >= rules.contacts().size()) {
                continue;
            }
            Instant lastTold = c.escalations().isEmpty() ? c.raisedAt()
                    : c.escalations().get(c.escalations().size() - 1).at();
            Instant due = rules.fireAt(lastTold.plus(rules.escalateAfter()));
            if (asOf.isBefore(due)) {
                continue;
            }
            Contact contact = rules.contacts().get(next);
            cases.escalate(Scope.all(), c.alertId(), level,
                    new Escalation(next, contact.role(), contact.name(), contact.channel(), asOf))
                    .ifPresent(e -> report.escalated(e.alertId()));
        }
    }
}
