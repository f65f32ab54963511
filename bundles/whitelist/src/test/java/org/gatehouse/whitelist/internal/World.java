package org.gatehouse.whitelist.internal;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Set;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.whitelist.internal.Households.NewResident;
import org.gatehouse.whitelist.internal.Households.ResidentInput;

/** One community (SUNSHINE: building 1 with flats 101, 102) over the fakes, and the whitelist's services under test. */
class World {
    final Fakes.Communities communities = new Fakes.Communities();
    final Fakes.Households households = new Fakes.Households(communities);
    final Fakes.Outbox outbox = new Fakes.Outbox();
    final Fakes.Credentials credentials = new Fakes.Credentials(households, outbox);
    final Fakes.Consents consents = new Fakes.Consents(households);
    final Fakes.Audits audit = new Fakes.Audits();
    final Fakes.Faces faces = new Fakes.Faces();
    /** The store's import jobs: survives the import services a test builds over it (a node's restarts). */
    final Fakes.ImportJobs jobs = new Fakes.ImportJobs(households, credentials, consents);
    final LeaseDates dates = new LeaseDates(ZoneId.of("Asia/Shanghai"));
    /** The services under test, over the fakes. */
    final StoredCredentials issuer;
    final StoredHouseholds register;
    final StoredConsents consentBook;
    final FaceEnrolment enrolment;
    /** The offline copy, loading at once (on the caller's thread) for the tests. */
    final OfflineWhitelist offline;
    final AccessPolicy gate;
    final Community sunshine;
    final Building building;
    final Unit flat101;
    final Unit flat102;
    final Household wang;
    final Caller office;

    World() {
        this(true);
    }

    /** The audit log the services write to now (none until {@link #auditTo}). */
    private volatile AuditLog auditLog;
    final AuditTrails trails = module -> new AuditTrail(module, () -> auditLog);

    World(boolean withAudit) {
        credentials.faces = faces; // the store's face_template rows
        faces.consents = consents; // what the store re-checks when it saves a resident's face
        issuer = new StoredCredentials(households, credentials, faces, new SecretKeys(SecretKeys.random(32)), trails);
        register = new StoredHouseholds(households, credentials, faces, issuer, dates, trails);
        consentBook = new StoredConsents(households, consents, credentials, faces, trails);
        enrolment = new FaceEnrolment(households, credentials, consents, faces, trails);
        offline = new OfflineWhitelist(households, credentials, communities, Runnable::run, Clock.systemUTC(), 1000);
        gate = new AccessPolicy(households, issuer, offline, Clock.systemUTC(), Fakes.config(), trails);
        if (withAudit) {
            auditTo(audit);
        }
        sunshine = communities.createCommunity("SUNSHINE", "阳光公租房小区", "");
        building = communities.createBuilding(Scope.all(), sunshine.id(), "1", "1号楼");
        flat101 = communities.createUnit(Scope.all(), building.id(), "1", 1, "101", null);
        flat102 = communities.createUnit(Scope.all(), building.id(), "1", 1, "102", null);
        office = new Caller("office", Set.of(Roles.COMMUNITY_OFFICE), Scope.of(sunshine.id()));
        wang = register.createHousehold(office, flat101.id(), "王家");
    }

    /** Binds the audit log to every service, as the core's AuditTrails does. */
    void auditTo(AuditLog log) {
        auditLog = log;
    }

    NewResident add(String name) {
        return register.addResident(office, wang.id(), new ResidentInput(name, ResidentRole.TENANT, null, "13800000000",
                "2026-01-01", "2027-12-31", null));
    }
}
