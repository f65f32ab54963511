package org.gatehouse.visitor.internal;

import static org.gatehouse.visitor.internal.Messages.MESSAGES;
import static org.gatehouse.visitor.internal.CallerRoles.actsFor;
import static org.gatehouse.visitor.internal.CallerRoles.isOffice;
import static org.gatehouse.visitor.internal.CallerRoles.requireHostOrOffice;
import static org.gatehouse.visitor.internal.Inputs.blank;
import static org.gatehouse.visitor.internal.Inputs.require;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorPass;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.VisitorRepository;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.faces.api.FaceRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.gatehouse.core.api.Refusal;

/** {@link Visits} over the {@link VisitorRepository} and the faces module's {@link FaceRegistry}. */
@Component(service = Visits.class, configurationPid = VisitorConfig.PID)
@Designate(ocd = VisitorConfig.class)
public class VisitsImpl implements Visits {
    private static final Logger LOG = LoggerFactory.getLogger(VisitsImpl.class);

    private final VisitorRepository visitors;
    private final HouseholdRepository households;
    private final CommunityRepository communities;
    private final FaceRegistry faces;
    private final VisitorKey key;
    private final Clock clock;
    private final VisitorConfig config;
    private final VisitLog log;
    private final AuditTrail audit;
    private final Residency residency;

    @Activate
    public VisitsImpl(@Reference VisitorRepository visitors, @Reference HouseholdRepository households,
                      @Reference CommunityRepository communities, @Reference FaceRegistry faces,
                      @Reference VisitorKey key, VisitorConfig config, @Reference AuditTrails trails) {
        this(visitors, households, communities, faces, key, Clock.systemUTC(), config, trails);
    }

    public VisitsImpl(VisitorRepository visitors, HouseholdRepository households, CommunityRepository communities,
                      FaceRegistry faces, VisitorKey key, Clock clock, VisitorConfig config, AuditTrails trails) {
        this.audit = trails.of("visitor");
        this.visitors = visitors;
        this.households = households;
        this.communities = communities;
        this.faces = faces;
        this.key = key;
        this.clock = clock;
        this.config = config;
        this.log = new VisitLog(visitors, clock);
        this.residency = new Residency(households, clock);
    }


    private Instant now() {
        return clock.instant();
    }

    // ---- registration and decisions --------------------------------------------------------------------------

    @Override
    public Visitor register(Caller c, VisitorInput in) {
        if (in == null) {
            throw MESSAGES.badRequest("field.required", "body");
        }
        require(in.hostHouseholdId(), "hostHouseholdId");
        Household host = households.household(c.scope(), in.hostHouseholdId())
                .orElseThrow(() -> new NotFoundException("household", in.hostHouseholdId()));
        String via;
        if (isOffice(c)) {
            via = "office";
        } else if (c.hasRole(Roles.DEVICE)) {
            via = "gate";
        } else if (c.hasRole(Roles.RESIDENT)) {
            if (!actsFor(c, host.id())) {
                audit.refused(c.name(), "visitor.register.refused", host.communityId(), host.id(),
                        "resident of another household");
                throw MESSAGES.refusal(403, "FORBIDDEN", "household.forbidden");
            }
            // an app invitation is approved at once: only a resident who lives there now may invite
            residency.requireLivingHost(c, host.id(), host.communityId(), host.id(), "visitor.register", audit);
            via = "app";
        } else {
            throw MESSAGES.refusal(403, "FORBIDDEN", "visitor.notHost");
        }
        try {
            require(in.name(), "name");
            require(in.expectedFrom(), "expectedFrom");
            require(in.expectedUntil(), "expectedUntil");
            Inputs.checkWindow(in.expectedFrom(), in.expectedUntil(), config.maxWindowHours());
            if (!in.expectedUntil().isAfter(now())) {
                throw MESSAGES.badRequest("window.past");
            }
        } catch (Refusal e) {
            audit.refused(c.name(), "visitor.register.refused", host.communityId(), host.id(), e.getMessage());
            throw e;
        }
        String idHash = blank(in.idCard()) ? null : key.idCardHash(in.idCard());
        Instant now = now();
        // approved at once when the host invites or the office pre-approves: stored approved, so it never waits (and
        // the host household is not told of a visitor waiting); otherwise the store publishes VISITOR_WAITING with it
        boolean approveNow = "app".equals(via) || ("office".equals(via) && Boolean.TRUE.equals(in.preApproved()));
        Visitor draft = new Visitor("new", host.communityId(), host.id(), in.name().trim(),
                blank(in.phone()) ? null : in.phone().trim(), idHash, blank(in.purpose()) ? null : in.purpose().trim(),
                in.expectedFrom(), in.expectedUntil(),
                approveNow ? VisitorStatus.APPROVED : VisitorStatus.WAITING_APPROVAL, c.name(), via,
                approveNow ? c.name() : null, approveNow ? now : null, now);
        Visitor v = visitors.register(c.scope(), draft, "gate".equals(via) ? deviceOf(c) : null);
        log.write(c.scope(), v.communityId(), v.id(), null, "REGISTERED", c.name(), null, "via " + via);
        audit.record(c.name(), "visitor.register", v.communityId(), v.id(), "via " + via + ", host " + host.id());
        if (approveNow) {
            log.write(c.scope(), v.communityId(), v.id(), null, "APPROVED", c.name(), null,
                    "app".equals(via) ? "invited by the host" : "pre-approved by the office");
            audit.record(c.name(), "visitor.approve", v.communityId(), v.id(), "pre-approved");
        }
        return v;
    }

    /** The id of the gate terminal calling ({@code device:<id>}, from its token), or null for another name. */
    private static String deviceOf(Caller c) {
        String prefix = Roles.DEVICE + ":";
        return c.name().startsWith(prefix) && c.name().length() > prefix.length()
                ? c.name().substring(prefix.length()) : null;
    }

    @Override
    public Visitor visitor(Caller c, String id) {
        Visitor v = find(c.scope(), id);
        if (!c.hasRole(Roles.POLICE)) {
            requireHostOrOffice(c, v, "visitor.view", audit);
        }
        audit.record(c.name(), "visitor.view", v.communityId(), v.id(), "");
        return v;
    }

    @Override
    public List<Visitor> visitors(Caller c, String communityId, VisitorStatus status, int limit) {
        List<Visitor> list = visitors.visitors(c.scope(), communityId, status, limit);
        audit.record(c.name(), "visitor.list", communityId, communityId, list.size() + " visitors");
        return list;
    }

    @Override
    public Visitor decide(Caller c, String visitorId, boolean approve) {
        Visitor v = find(c.scope(), visitorId);
        String action = approve ? "visitor.approve" : "visitor.reject";
        residency.requireLivingHostOrOffice(c, v, action, audit);
        if (v.status() != VisitorStatus.WAITING_APPROVAL) {
            audit.refused(c.name(), action + ".refused", v.communityId(), v.id(), "status " + v.status());
            throw MESSAGES.refusal(409, "NOT_WAITING", "visitor.notWaiting", v.status());
        }
        Visitor decided = visitors.decide(c.scope(), v.id(), approve ? VisitorStatus.APPROVED : VisitorStatus.REJECTED,
                c.name());
        log.write(c.scope(), v.communityId(), v.id(), null, approve ? "APPROVED" : "REJECTED", c.name(), null, "");
        audit.record(c.name(), action, v.communityId(), v.id(), "");
        if (!approve) {
            forgetFace(c.scope(), v, c.name());
        }
        return decided;
    }

    @Override
    public Visitor close(Caller c, String visitorId) {
        Visitor v = find(c.scope(), visitorId);
        requireHostOrOffice(c, v, "visitor.close", audit);
        if (v.status() == VisitorStatus.CLOSED || v.status() == VisitorStatus.REJECTED) {
            return v;
        }
        closeVisit(c.scope(), v, c.name(), "closed by " + c.name());
        return find(c.scope(), v.id());
    }

    /** Closes a visit, revokes its passes, forgets its face; returns how many templates were forgotten. */
    private int closeVisit(Scope scope, Visitor v, String actor, String why) {
        visitors.decide(scope, v.id(), VisitorStatus.CLOSED, actor);
        for (VisitorPass p : visitors.passesOf(scope, v.id())) {
            if (p.revokedAt() == null) {
                visitors.revokePass(scope, p.id());
                log.write(scope, v.communityId(), v.id(), p.id(), "PASS_REVOKED", actor, null, why);
            }
        }
        log.write(scope, v.communityId(), v.id(), null, "CLOSED", actor, null, why);
        audit.record(actor, "visitor.close", v.communityId(), v.id(), why);
        return forgetFace(scope, v, actor);
    }

    // ---- faces -----------------------------------------------------------------------------------------------

    @Override
    public FaceRegistry.Enrollment enrollFace(Caller c, String visitorId, byte[] image, boolean consent) {
        Visitor v = find(c.scope(), visitorId);
        if (!c.hasRole(Roles.DEVICE)) {
            residency.requireLivingHostOrOffice(c, v, "visitor.face.enroll", audit);
        }
        if (!consent) {
            audit.refused(c.name(), "visitor.face.enroll.refused", v.communityId(), v.id(), "no consent");
            throw MESSAGES.refusal(409, "NO_FACE_CONSENT", "face.noConsent");
        }
        if (v.status() != VisitorStatus.WAITING_APPROVAL && v.status() != VisitorStatus.APPROVED) {
            throw MESSAGES.refusal(409, "VISIT_ENDED", "visitor.ended", v.status());
        }
        FaceRegistry.Enrollment e = faces.enroll(c.scope(), v.communityId(), v.id(), image);
        log.write(c.scope(), v.communityId(), v.id(), null, "FACE_ENROLLED", c.name(), null, "with consent");
        audit.record(c.name(), "visitor.face.enroll", v.communityId(), v.id(), "template " + e.templateId());
        return e;
    }

    @Override
    public int forgetFace(Scope scope, Visitor v, String actor) {
        int n = faces.forget(scope, v.communityId(), v.id());
        if (n > 0) {
            log.write(scope, v.communityId(), v.id(), null, "FACE_FORGOTTEN", actor, null, n + " templates");
            audit.record(actor, "visitor.face.forget", v.communityId(), v.id(), n + " templates");
        }
        return n;
    }

    // ---- the sweep -------------------------------------------------------------------------------------------

    @Override
    public SweepReport sweep(Instant at) {
        Scope all = Scope.all();
        int closed = 0;
        int forgotten = 0;
        for (Community community : communities.communities(all)) {
            for (VisitorStatus status : List.of(VisitorStatus.WAITING_APPROVAL, VisitorStatus.APPROVED)) {
                for (Visitor v : visitors.visitors(all, community.id(), status, config.sweepBatch())) {
                    try {
                        String why = null;
                        if (!at.isBefore(v.expectedUntil())) {
                            why = "window ended";
                        } else if (status == VisitorStatus.APPROVED) {
                            List<VisitorPass> passes = visitors.passesOf(all, v.id());
                            if (!passes.isEmpty() && passes.stream().allMatch(p -> p.revokedAt() != null
                                    || !at.isBefore(p.validUntil()) || p.uses() >= p.maxUses())) {
                                why = "every pass ended";
                            }
                        }
                        if (why != null) {
                            forgotten += closeVisit(all, v, "system:visitor-sweep", why);
                            closed++;
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("Visitor sweep could not close {}: {}", v.id(), e.toString());
                    }
                }
            }
        }
        if (closed > 0) {
            LOG.info("Visitor sweep closed {} visits", closed);
        }
        return new SweepReport(at, closed, forgotten);
    }

    // ---- the visitor log -------------------------------------------------------------------------------------

    @Override
    public List<VisitLogEntry> visitLog(Caller c, String communityId, Instant from, Instant to, int limit) {
        Instant f = from == null ? now().minus(Duration.ofDays(30)) : from;
        Instant t = to == null ? now().plus(Duration.ofMinutes(1)) : to;
        List<VisitLogEntry> list = visitors.log(c.scope(), communityId, f, t, limit);
        audit.record(c.name(), "visitlog.view", communityId, communityId, list.size() + " entries " + f + ".." + t);
        return list;
    }

    private Visitor find(Scope scope, String id) {
        return visitors.visitor(scope, id).orElseThrow(() -> new NotFoundException("visitor", id));
    }
}
