package org.gatehouse.welfare.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.VisitorRepository;
import org.gatehouse.api.service.WelfareCaseRepository;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the inactivity watch and the flat cases for each community in scope, one run at a time (the schedule, the
 * shell and REST may ask at once). Every time comes from one {@link Clock} (the system's UTC clock in OSGi; tests
 * pass their own).
 */
@Component(service = WelfareChecks.class)
public class WelfareChecksImpl implements WelfareChecks {
    private static final Logger LOG = LoggerFactory.getLogger(WelfareChecksImpl.class);
    private final CommunityRepository communities;
    private final WelfareSettings settings;
    private final InactivityWatch inactivity;
    private final FlatCases flats;
    private final WelfareCaseRepository cases;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();

    /** The services a run reads and writes. */
    record Services(CommunityRepository communities, HouseholdRepository households, DeviceRepository devices,
                    PassageRepository passages, VisitorRepository visitors, WelfareCaseRepository cases) {
    }

    @Activate
    public WelfareChecksImpl(@Reference CommunityRepository communities, @Reference HouseholdRepository households,
                             @Reference DeviceRepository devices, @Reference PassageRepository passages,
                             @Reference VisitorRepository visitors, @Reference WelfareCaseRepository cases,
                             @Reference WelfareSettings settings) {
        this(new Services(communities, households, devices, passages, visitors, cases), settings, Clock.systemUTC());
    }

    WelfareChecksImpl(Services s, WelfareSettings settings, Clock clock) {
        this.communities = s.communities();
        this.settings = settings;
        this.cases = s.cases();
        this.clock = clock;
        Places places = new Places(s.communities(), s.devices());
        this.inactivity = new InactivityWatch(s.households(), s.passages(), s.cases(), places);
        this.flats = new FlatCases(s.households(), s.passages(), s.visitors(), s.cases(), places);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public CheckReport run(Scope scope, Instant asOf) {
        Instant at = (asOf == null ? clock.instant() : asOf).truncatedTo(ChronoUnit.MICROS);
        CheckReport report = new CheckReport(at);
        WelfareConfig defaults = settings.defaults();
        Set<CareFlag> flags = InactivityWatch.watched(defaults.watchedFlags());
        if (flags.isEmpty()) {
            report.problem("watchedFlags names no care flag (" + String.join(",", defaults.watchedFlags())
                    + "): nobody is watched");
        }
        running.lock();
        try {
            for (Community community : communities.communities(scope)) {
                CommunityRules rules = settings.rules(community.id());
                rules.problems().forEach(report::problem);
                try {
                    inactivity.run(community.id(), rules, flags, at, report);
                    flats.run(community.id(), defaults, at, report);
                } catch (RuntimeException e) {
                    LOG.warn("Welfare check of community {} as of {} failed: {}", community.id(), at, e.toString());
                    report.problem("community " + community.code() + ": " + e.getMessage());
                }
            }
        } finally {
            running.unlock();
        }
        if (!report.opened().isEmpty() || !report.escalated().isEmpty() || !report.closed().isEmpty()) {
            LOG.info("Welfare check as of {}: opened {}, escalated {}, closed {}", at, report.opened(),
                    report.escalated(), report.closed());
        }
        return report;
    }

    @Override
    public int passed(PassageEvent p) {
        if (!Presence.counts(p)) {
            return 0;
        }
        int closed = 0;
        for (AlertStatus status : new AlertStatus[] {AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED}) {
            for (WelfareCase c : cases.cases(Scope.all(), p.communityId(), status, AlertType.WELFARE_INACTIVITY,
                    10_000)) {
                if (c.subjectId().equals(p.subjectId()) && c.since() != null && p.occurredAt().isAfter(c.since())
                        && inactivity.closeByPassage(c, p)) {
                    closed++;
                }
            }
        }
        return closed;
    }
}
