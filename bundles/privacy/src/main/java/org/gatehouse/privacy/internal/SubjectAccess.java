package org.gatehouse.privacy.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.AuditLog.AuditEntry;
import org.gatehouse.api.service.ConsentRepository;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.FaceTemplateRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.SubjectDataRepository;
import org.gatehouse.api.service.WelfareCaseRepository;
import org.gatehouse.core.api.Caller;
import org.gatehouse.faces.api.FaceRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subject access (everything held about a resident, never a secret or a face vector) and erasure (faces
 * forgotten, credentials revoked, passages anonymised, resident removed). Both audited.
 */
@Component(service = SubjectAccess.class)
public class SubjectAccess {
    private static final Logger LOG = LoggerFactory.getLogger(SubjectAccess.class);
    /** Audit entries read per query of an export (the store answers at most 10,000 a query); it pages to the end. */
    static final int AUDIT_PAGE = 1_000;

    public record CredentialRef(String id, CredentialKind kind, String reference, Instant issuedAt, Instant revokedAt) {
    }

    public record TemplateRef(String id, String communityId, String modelId, Instant createdAt) {
    }

    public record Erasure(String residentId, int templatesForgotten, int credentialsRevoked, int passagesAnonymised,
                          boolean residentRemoved) {
    }

    private final HouseholdRepository households;
    private final CredentialRepository credentials;
    private final ConsentRepository consents;
    private final FaceTemplateRepository templates;
    private final SubjectDataRepository subjectData;
    private final FaceRegistry faces;
    private final Clock clock;
    private volatile AuditLog auditLog;
    /** The welfare cases about the person (what visits found), when the store offers them. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile WelfareCaseRepository welfare;
    private final AuditTrail audit = new AuditTrail("privacy");

    @Activate
    public SubjectAccess(@Reference HouseholdRepository households, @Reference CredentialRepository credentials,
                         @Reference ConsentRepository consents, @Reference FaceTemplateRepository templates,
                         @Reference SubjectDataRepository subjectData, @Reference FaceRegistry faces) {
        this(households, credentials, consents, templates, subjectData, faces, Clock.systemUTC());
    }

    public SubjectAccess(HouseholdRepository households, CredentialRepository credentials, ConsentRepository consents,
                         FaceTemplateRepository templates, SubjectDataRepository subjectData, FaceRegistry faces,
                         Clock clock) {
        this.households = households;
        this.credentials = credentials;
        this.consents = consents;
        this.templates = templates;
        this.subjectData = subjectData;
        this.faces = faces;
        this.clock = clock;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unsetAuditLog")
    public void setAuditLog(AuditLog log) {
        this.auditLog = log;
        audit.set(log);
    }

    public void unsetAuditLog(AuditLog log) {
        if (this.auditLog == log) {
            this.auditLog = null;
        }
        audit.unset(log);
    }

    /**
     * A credential's reference as exported: keyed hashes (an IC card's with at most its last four characters) and
     * template ids; a sealed app secret never, and a card number still stored in clear (before the whitelist hashed
     * it) only as its last four characters.
     */
    static String exportedReference(Credential c) {
        if (c.kind() == CredentialKind.APP_TOKEN) {
            return "(app token secret, sealed; not exported)";
        }
        if (c.kind() == CredentialKind.CARD && !c.reference().startsWith("hmac-sha256:")) {
            String number = c.reference().replaceAll("[^0-9A-Za-z]", "");
            return "****" + number.substring(number.length() - Math.min(4, number.length() / 2));
        }
        return c.reference();
    }

    public Map<String, Object> export(Caller c, String residentId) {
        Resident r = households.resident(c.scope(), residentId)
                .orElseThrow(() -> new NotFoundException("resident", residentId));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exportedAt", clock.instant());
        out.put("exportedBy", c.name());
        out.put("resident", r);
        out.put("household", households.household(c.scope(), r.householdId()).orElse(null));
        out.put("credentials", credentials.credentials(c.scope(), residentId).stream()
                .map(x -> new CredentialRef(x.id(), x.kind(), exportedReference(x), x.issuedAt(), x.revokedAt()))
                .toList());
        out.put("consents", consents.consents(c.scope(), residentId));
        out.put("faceTemplates", templates.templatesOf(c.scope(), residentId).stream()
                .map(t -> new TemplateRef(t.id(), t.communityId(), t.modelId(), t.createdAt())).toList());
        out.put("passages", subjectData.passagesOf(c.scope(), residentId));
        WelfareCaseRepository w = welfare;
        out.put("welfareCases", w == null ? List.of() : w.casesAbout(c.scope(), r.communityId(), residentId));
        out.put("auditEntries", auditEntriesAbout(c, r));
        audit.record(c.name(), "export.subject", r.communityId(), residentId, "");
        return out;
    }

    /**
     * Every audit entry of the resident's community whose subject is the resident, newest first: read by subject
     * (an index), page after page until a page comes back short, so the export is complete however long the log is.
     */
    private List<AuditEntry> auditEntriesAbout(Caller c, Resident r) {
        List<AuditEntry> about = new ArrayList<>();
        AuditLog log = auditLog;
        if (log == null) {
            return about;
        }
        long after = 0;
        List<AuditEntry> page;
        do {
            page = log.entriesAbout(c.scope(), r.id(), after, AUDIT_PAGE);
            for (AuditEntry e : page) {
                if (r.communityId().equals(e.communityId())) {
                    about.add(e);
                }
                after = Math.max(after, e.sequence());
            }
        } while (page.size() == AUDIT_PAGE);
        Collections.reverse(about);
        return about;
    }

    /**
     * Erases a resident (also one who moved out already): one store transaction under the resident's row lock ends
     * the faces and every credential (their credential changes written with them, so terminals are told), overwrites
     * the credentials' references, anonymises the passages, removes the resident and overwrites the personal fields
     * of the row ({@link SubjectDataRepository#eraseResident}); then this node's gallery follows the store.
     */
    public Erasure erase(Caller c, String residentId) {
        SubjectDataRepository.ResidentErasure done = subjectData.eraseResident(c.scope(), residentId);
        try {
            faces.refresh(c.scope(), done.communityId(), residentId);
        } catch (RuntimeException e) {
            // the store no longer holds the faces; the FACE_DELETED just written retries the gallery
            LOG.warn("Gallery of community {} not refreshed for erased resident {} yet: {}", done.communityId(),
                    residentId, e.toString());
        }
        Erasure e = new Erasure(residentId, done.templatesDeleted(), done.credentialsRevoked(),
                done.passagesAnonymised(), true);
        audit.record(c.name(), "erase.subject", done.communityId(), residentId, "templates " + e.templatesForgotten()
                + ", credentials revoked " + e.credentialsRevoked() + ", passages anonymised " + e.passagesAnonymised()
                + ", resident removed" + (done.removedNow() ? "" : " (had moved out)")
                + ", personal fields overwritten");
        return e;
    }

}
