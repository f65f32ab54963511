package org.gatehouse.privacy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.gatehouse.api.model.AccessDecision;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Acknowledgement;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.AuditLog.AuditEntry;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.FaceTemplateRepository;
import org.gatehouse.api.service.RetentionRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.SubjectDataRepository;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.testing.Configs;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.junit.jupiter.api.Test;

class PrivacyTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    /** The configuration as DS builds it: the metatype defaults, but outbox entries not kept and two reports. */
    static PrivacyConfig config() {
        return Configs.of(PrivacyConfig.class, Map.of("publishedOutboxDays", 0, "reportsKept", 2));
    }

    /** Rows with a time per data type; purges delete those older than the cut-off. */
    static class Retention implements RetentionRepository {
        final Map<String, List<Instant>> rows = new java.util.HashMap<>();
        final Map<String, Instant> cutoffs = new java.util.HashMap<>();
        boolean failAlerts;

        int purge(String type, Instant before) {
            cutoffs.put(type, before);
            List<Instant> l = rows.getOrDefault(type, new ArrayList<>());
            int n = (int) l.stream().filter(t -> t.isBefore(before)).count();
            l.removeIf(t -> t.isBefore(before));
            return n;
        }

        public int purgePassages(Instant b) { return purge("passages", b); }
        public int purgeVisitors(Instant b) { return purge("visitors", b); }
        public int purgeVisitLog(Instant b) { return purge("visitLog", b); }
        public int purgeAlerts(Instant b) {
            if (failAlerts) {
                throw new IllegalStateException("db down");
            }
            return purge("alerts", b);
        }
        public int purgePublishedOutbox(Instant b) { return purge("publishedOutbox", b); }
    }

    static class Templates implements FaceTemplateRepository {
        long count;
        final List<StoredTemplate> rows = new CopyOnWriteArrayList<>();

        public StoredTemplate save(Scope s, String c, String subject, String model, float[] v) {
            StoredTemplate t = new StoredTemplate(Fakes.id(), c, subject, model, v, NOW);
            rows.add(t);
            return t;
        }
        public ResidentFace saveResidentFace(Scope s, String resident, String model, float[] v, String purpose) {
            throw new UnsupportedOperationException("the privacy module never enrolls");
        }
        public List<StoredTemplate> templates(Scope s, String c, String m) { return rows; }
        public List<StoredTemplate> templatesOf(Scope s, String subject) {
            return rows.stream().filter(t -> t.subjectId().equals(subject) && s.allows(t.communityId())).toList();
        }
        public void delete(Scope s, String id) { rows.removeIf(t -> t.id().equals(id)); }
        public int deleteBySubject(Scope s, String subject) { return 0; }
        public long count(Scope s) { return count; }
        public int reencryptAll() { return 0; }
    }

    /** Passages, and erasure over the in-memory households and credentials as the store does it in one step. */
    static class Subjects implements SubjectDataRepository {
        final List<PassageEvent> rows = new CopyOnWriteArrayList<>();
        Fakes.Households households;
        Fakes.Credentials credentials;

        public ResidentErasure eraseResident(Scope s, String id) {
            Resident r = households.anyResident(s, id).orElseThrow(() -> new NotFoundException("resident", id));
            var faces = credentials.endFaces(s, id, true);
            int others = (int) credentials.credentials(s, id).stream().filter(c -> c.isActive()).count();
            boolean present = households.resident(s, id).isPresent();
            if (present) {
                households.removeResident(s, id);
            }
            households.removed.put(id, new Resident(id, r.communityId(), r.householdId(), "erased", r.role(), null,
                    null, null, null, Set.of()));
            return new ResidentErasure(id, r.communityId(), faces.templatesDeleted(), faces.revoked().size() + others,
                    anonymisePassages(s, id), present);
        }

        public List<PassageEvent> passagesOf(Scope s, String subject) {
            return rows.stream().filter(p -> subject.equals(p.subjectId()) && s.allows(p.communityId())).toList();
        }
        public int anonymisePassages(Scope s, String subject) {
            int n = 0;
            for (int i = 0; i < rows.size(); i++) {
                PassageEvent p = rows.get(i);
                if (subject.equals(p.subjectId())) {
                    rows.set(i, new PassageEvent(p.id(), p.communityId(), p.deviceId(), p.occurredAt(), p.direction(),
                            SubjectType.UNKNOWN, null, p.credentialKind(), p.decision()));
                    n++;
                }
            }
            return n;
        }
    }

    static class Alerts implements AlertRepository {
        final List<Alert> raised = new CopyOnWriteArrayList<>();

        public Alert raise(Alert a) { raised.add(a); return a; }
        public List<Alert> alerts(Scope s, String c, AlertStatus st, int l) { return raised; }
        public Optional<Alert> alert(Scope s, String id) { return Optional.empty(); }
        public Alert acknowledge(Scope s, String id, Acknowledgement a, AlertStatus st) { return null; }
    }

    static class MutableClock extends Clock {
        Instant now = NOW;
        public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(java.time.ZoneId z) { return this; }
        public Instant instant() { return now; }
    }

    final MutableClock clock = new MutableClock();
    final Fakes.Audits audit = new Fakes.Audits();

    @Test
    void retentionDeletesByTheConfiguredTimesAndReports() {
        Retention repo = new Retention();
        repo.rows.put("passages", new ArrayList<>(List.of(NOW.minus(Duration.ofDays(200)), NOW.minus(Duration.ofDays(10)))));
        repo.rows.put("visitors", new ArrayList<>(List.of(NOW.minus(Duration.ofDays(31)), NOW.minus(Duration.ofDays(29)))));
        repo.rows.put("publishedOutbox", new ArrayList<>(List.of(NOW.minus(Duration.ofDays(999)))));
        repo.failAlerts = true;
        RetentionJob job = new RetentionJob(repo, config(), clock, AuditTrails.writingTo(audit));
        RetentionJob.Report r = job.run("admin");
        assertEquals(NOW.minus(Duration.ofDays(180)), repo.cutoffs.get("passages"));
        assertEquals(NOW.minus(Duration.ofDays(30)), repo.cutoffs.get("visitors"));
        assertEquals(NOW.minus(Duration.ofDays(180)), repo.cutoffs.get("visitLog"));
        assertNull(repo.cutoffs.get("publishedOutbox"), "0 days = kept");
        assertEquals(1, repo.rows.get("publishedOutbox").size());
        Map<String, RetentionJob.Item> byType = new java.util.HashMap<>();
        r.items().forEach(i -> byType.put(i.dataType(), i));
        assertEquals(1, byType.get("passages").deleted());
        assertEquals(1, byType.get("visitors").deleted());
        assertNotNull(byType.get("alerts").error(), "a failing type is reported, the others still run");
        assertEquals(2, r.total());
        assertEquals(List.of("retention.purge"), audit.actions());
        job.run("a");
        job.run("b");
        assertEquals(2, job.reports().size(), "reportsKept");
        assertEquals("b", job.reports().get(0).actor());
    }

    @Test
    void exportHoldsEverySectionAndNoSecretAndErasureDoesAllFourSteps() throws Exception {
        Fakes.Communities communities = new Fakes.Communities();
        Fakes.Households households = new Fakes.Households(communities);
        Fakes.Credentials credentials = new Fakes.Credentials(households);
        Fakes.Consents consents = new Fakes.Consents(households);
        Fakes.Faces faces = new Fakes.Faces();
        Templates templates = new Templates();
        credentials.faces = faces; // the store's face_template rows
        Subjects subjects = new Subjects();
        subjects.households = households;
        subjects.credentials = credentials;
        var sunshine = communities.createCommunity("SUNSHINE", "阳光", "");
        var b = communities.createBuilding(Scope.all(), sunshine.id(), "1", "1");
        var u = communities.createUnit(Scope.all(), b.id(), "1", 1, "101", null);
        Household h = households.createHousehold(Scope.all(), u.id(), "王家");
        Resident r = households.addResident(Scope.all(), h.id(), "王芳", ResidentRole.TENANT, null, "138", null, null,
                Set.of());
        credentials.issue(Scope.all(), r.id(), CredentialKind.ID_CARD, "hmac-sha256:abcd");
        credentials.issue(Scope.all(), r.id(), CredentialKind.APP_TOKEN, "totp-aesgcm:SECRETSEALED");
        credentials.issue(Scope.all(), r.id(), CredentialKind.CARD, "hmac-sha256:cafe:****2284");
        credentials.revoke(Scope.all(), credentials.issue(Scope.all(), r.id(), CredentialKind.CARD, "736400915566").id());
        consents.give(Scope.all(), r.id(), "face-access", "v1", "paper", "office");
        faces.enroll(Scope.all(), sunshine.id(), r.id(), new byte[] {1});
        templates.save(Scope.all(), sunshine.id(), r.id(), "m1", new float[] {0.123456f, 0.654321f});
        subjects.rows.add(new PassageEvent("p1", sunshine.id(), "d1", NOW, Direction.IN, SubjectType.RESIDENT, r.id(),
                CredentialKind.FACE, new AccessDecision(org.gatehouse.api.model.Verdict.ALLOW, null, null)));
        audit.append("office", "resident.view", sunshine.id(), r.id(), "");
        audit.append("office", "resident.view", sunshine.id(), "someone-else", "");

        SubjectAccess access = new SubjectAccess(households, credentials, consents, templates, subjects, faces, clock);
        access.setAuditLog(audit);
        org.gatehouse.testing.MemoryWelfareCases welfare = new org.gatehouse.testing.MemoryWelfareCases(communities);
        for (String subject : List.of(r.id(), "someone-else")) {
            String id = "welfare-inactivity-" + subject;
            welfare.open(new org.gatehouse.api.model.Alert(id, sunshine.id(),
                    org.gatehouse.api.model.AlertType.WELFARE_INACTIVITY, org.gatehouse.api.model.AlertSeverity.CRITICAL,
                    org.gatehouse.api.model.AlertStatus.OPEN, subject, "No passage for 24 h", NOW, null),
                    new org.gatehouse.api.model.WelfareCase(id, sunshine.id(),
                            org.gatehouse.api.model.AlertType.WELFARE_INACTIVITY,
                            org.gatehouse.api.model.AlertStatus.OPEN, subject, h.id(), NOW.minusSeconds(86400), NOW,
                            NOW, null, List.of(), null, null, null, null, null, null, null, List.of(), "passages"));
        }
        welfare.acknowledge(Scope.all(), "welfare-inactivity-" + r.id(), "officer", NOW,
                org.gatehouse.api.model.WelfareOutcome.FOUND_WELL, "well, had been visiting her daughter");
        access.welfare = welfare;
        Caller admin = new Caller("admin", Set.of(Roles.CITY_ADMIN), Scope.all());
        Map<String, Object> export = access.export(admin, r.id());
        for (String section : List.of("resident", "household", "credentials", "consents", "faceTemplates", "passages",
                "welfareCases", "auditEntries")) {
            assertTrue(export.containsKey(section), section);
        }
        String json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(export);
        assertFalse(json.contains("SECRETSEALED"), json);
        assertFalse(json.contains("0.123456"), "no face vectors");
        assertFalse(json.contains("vector"), json);
        assertTrue(json.contains("hmac-sha256:abcd"));
        assertTrue(json.contains("hmac-sha256:cafe:****2284"));
        assertFalse(json.contains("73640091"), "a card number still in clear is exported as its last four only");
        assertTrue(json.contains("\"****5566\""), json);
        assertTrue(json.contains("王芳"));
        assertEquals(1, ((List<?>) export.get("passages")).size());
        assertEquals(1, ((List<?>) export.get("welfareCases")).size(), "the person's welfare case, not another's");
        assertTrue(json.contains("had been visiting her daughter"), "what the visit found is the person's data");
        assertEquals(1, ((List<?>) export.get("auditEntries")).size(), "only entries about the person");
        assertTrue(audit.actions().contains("export.subject"));

        SubjectAccess.Erasure e = access.erase(admin, r.id());
        assertEquals(1, e.templatesForgotten());
        assertEquals(3, e.credentialsRevoked());
        assertEquals(1, e.passagesAnonymised());
        assertTrue(faces.templates.isEmpty(), "the store's templates are gone");
        assertTrue(faces.refreshed.contains(r.id()), "and this node's gallery followed");
        assertEquals("erased", households.removed.get(r.id()).name());
        assertEquals(4, credentials.outbox.entries.stream().filter(x -> x.payloadJson().contains("\"REVOKED\""))
                .count(), "terminals told of the three revocations (and of the card revoked before)");
        assertTrue(credentials.outbox.entries.stream().anyMatch(x -> x.payloadJson().contains("FACE_DELETED")));
        assertTrue(credentials.credentials(Scope.all(), r.id()).stream().noneMatch(c -> c.isActive()));
        assertTrue(households.resident(Scope.all(), r.id()).isEmpty());
        assertTrue(subjects.passagesOf(Scope.all(), r.id()).isEmpty());
        assertEquals(1, subjects.rows.size(), "the passage stays, as nobody's");
        assertTrue(audit.actions().contains("erase.subject"));
    }

    @Test
    void theSubjectExportHoldsEveryAuditEntryAboutThePersonHoweverLongTheLog() {
        Fakes.Communities communities = new Fakes.Communities();
        Fakes.Households households = new Fakes.Households(communities);
        var sunshine = communities.createCommunity("SUNSHINE", "阳光", "");
        var b = communities.createBuilding(Scope.all(), sunshine.id(), "1", "1");
        Household h = households.createHousehold(Scope.all(), communities.createUnit(Scope.all(), b.id(), "1", 1, "101",
                null).id(), "王家");
        Resident r = households.addResident(Scope.all(), h.id(), "王芳", ResidentRole.TENANT, null, null, null, null,
                Set.of());
        // like the store: entries(...) answers at most 10,000, newest first
        Fakes.Audits log = new Fakes.Audits() {
            @Override
            public List<AuditEntry> entries(Scope scope, String communityId, Instant from, Instant to, int limit) {
                List<AuditEntry> newestFirst = new ArrayList<>(entries);
                java.util.Collections.reverse(newestFirst);
                return newestFirst.stream().limit(Math.min(limit, 10_000)).toList();
            }
        };
        int about = 12_000;
        for (int i = 0; i < about; i++) {
            log.append("office", "resident.view", sunshine.id(), r.id(), "view " + i);
            if (i % 4 == 0) {
                log.append("office", "resident.view", sunshine.id(), "someone-else", "");
            }
        }
        log.append("office", "resident.view", "another-community", r.id(), "not this community's");
        assertEquals(10_000, log.entries(Scope.all(), sunshine.id(), null, null, 100_000).size(),
                "what the export used to read: the newest 10,000 entries of the community");

        SubjectAccess access = new SubjectAccess(households, new Fakes.Credentials(households),
                new Fakes.Consents(households), new Templates(), new Subjects(), new Fakes.Faces(), clock);
        access.setAuditLog(log);
        Caller office = new Caller("office", Set.of(Roles.COMMUNITY_OFFICE), Scope.of(sunshine.id()));
        @SuppressWarnings("unchecked")
        List<AuditEntry> exported = (List<AuditEntry>) access.export(office, r.id()).get("auditEntries");
        assertEquals(about, exported.size(), "every entry about the person");
        assertTrue(exported.stream().allMatch(e -> r.id().equals(e.subjectId())
                && sunshine.id().equals(e.communityId())), "and nobody else's");
        assertEquals("view " + (about - 1), exported.get(0).detail(), "newest first, as before");
        assertEquals("view 0", exported.get(about - 1).detail());
    }

    @Test
    void templateCountWarnsAt90AndIsCriticalAt100PercentAtMostOnceADay() {
        Templates templates = new Templates();
        Alerts alerts = new Alerts();
        Fakes.Communities communities = new Fakes.Communities();
        communities.createCommunity("SUNSHINE", "阳光", "");
        TemplateQuota q = new TemplateQuota(templates, alerts, communities, config(), clock);
        templates.count = 89_999;
        TemplateQuota.Status s = q.check();
        assertFalse(s.warning());
        assertTrue(alerts.raised.isEmpty());
        templates.count = 90_000;
        s = q.check();
        assertTrue(s.warning());
        assertFalse(s.critical());
        assertEquals(1, alerts.raised.size());
        assertEquals(AlertSeverity.WARNING, alerts.raised.get(0).severity());
        q.check();
        assertEquals(1, alerts.raised.size(), "at most once a day");
        templates.count = 100_000;
        s = q.check();
        assertTrue(s.critical());
        assertEquals(2, alerts.raised.size(), "a rise to CRITICAL is raised at once");
        assertEquals(AlertSeverity.CRITICAL, alerts.raised.get(1).severity());
        q.check();
        assertEquals(2, alerts.raised.size());
        clock.now = NOW.plus(Duration.ofDays(1));
        q.check();
        assertEquals(3, alerts.raised.size(), "again the next day");
        assertEquals("FACE_TEMPLATE_QUOTA", alerts.raised.get(2).type().name());
    }
}
