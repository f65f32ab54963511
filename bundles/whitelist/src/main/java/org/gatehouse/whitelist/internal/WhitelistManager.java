package org.gatehouse.whitelist.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.ConsentRepository;
import org.gatehouse.api.service.CredentialRepository.FacesEnded;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.ImportJobRepository;
import org.gatehouse.api.service.KeyChecks;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.PreconditionFailedException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.AttemptThrottle;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.api.Whitelist;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whitelist's rules, used by the REST resources, the shell and the bulk import:
 * <ul>
 * <li>every resident always has a way in that is not a face: adding one issues an app token, the last active
 * non-face credential cannot be revoked, a face is only enrolled next to an active non-face credential;</li>
 * <li>a face is only enrolled while a face-access consent is in force; withdrawing it deletes the templates,
 * revokes the face credentials and tells the terminals ({@code FACE_DELETED});</li>
 * <li>the store writes every {@code credential-changes} event in the transaction of the change it reports (issue,
 * revoke, faces ended, consent withdrawn, removal), so terminals hear of every revocation that committed;</li>
 * <li>ID card numbers, PINs and IC card numbers are stored as keyed HMAC-SHA256 only (a card's reference ends with
 * at most its last four characters); app-token secrets sealed (AES-GCM);</li>
 * <li>every read of personal data and every change (refused attempts too) is audited.</li>
 * </ul>
 * Every repository call carries the caller's scope.
 */
@Component(service = {Whitelist.class, WhitelistManager.class}, configurationPid = WhitelistConfig.PID)
@Designate(ocd = WhitelistConfig.class)
public class WhitelistManager implements Whitelist {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistManager.class);
    private static final int APP_SECRET_BYTES = 20;

    /** What a new resident gets: the record and its app token (secret shown once). */
    public record NewResident(Resident resident, IssuedCredential appToken) {
    }

    /** A credential just issued; {@code secret} and {@code otpauthUri} only for an app token, shown once. */
    public record IssuedCredential(Credential credential, String secret, String otpauthUri) {
    }

    /**
     * Resident fields as a form sends them. Dates: {@code yyyy-MM-dd} (validFrom = start of that day,
     * validUntil = end of that day, in the configured zone) or an ISO instant. {@code careFlags} null = unchanged.
     */
    public record ResidentInput(String name, ResidentRole role, LocalDate birthDate, String phone, String validFrom,
                                String validUntil, Set<CareFlag> careFlags) {
    }

    /** The outcome of withdrawing a consent. */
    public record Withdrawal(Consent consent, int templatesDeleted, List<String> revokedCredentials) {
    }

    private final HouseholdRepository households;
    private final CredentialRepository credentials;
    private final ConsentRepository consents;
    private final FaceRegistry faces;
    private final SecretKeys keys;
    private final ZoneId zone;
    private final Clock clock;
    private final AuditTrail audit = new AuditTrail("whitelist");
    private final WhitelistConfig config;
    /** Wrong credentials presented at terminals (and for a resident's app code): see {@link #throttled}. */
    private final AttemptThrottle checks;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AlertRepository alerts;
    /** Set once no IC card number is stored in clear any more (see {@link #ensureCardsHashed()}). */
    private volatile boolean cardsHashed;

    @Activate
    public WhitelistManager(@Reference HouseholdRepository households, @Reference CredentialRepository credentials,
                            @Reference ConsentRepository consents, @Reference FaceRegistry faces,
                            @Reference KeyChecks keyChecks, WhitelistConfig config) {
        this(households, credentials, consents, faces,
                SecretKeys.load(SecretKeys.keyFile(config.keyFile()), keyChecks), zone(config.zone()),
                Clock.systemUTC(), config);
        // a missing or different key file stops the component here (the message names the file)
        if (!keys.checkNow()) {
            LOG.warn("the database is not reachable: the whitelist key {} is checked against it on first use",
                    SecretKeys.keyFile(config.keyFile()));
        }
        try {
            ensureCardsHashed();
        } catch (RuntimeException e) {
            // e.g. the database is down: done before the first card is issued, looked up or listed
            LOG.warn("IC card numbers stored in clear not hashed yet, will retry on first use: {}", e.toString());
        }
    }

    /**
     * IC card numbers used to be stored in clear. The first time it is needed (start, then before any card is
     * issued, looked up or listed) every CARD reference that is not a keyed hash yet, active or revoked, is replaced
     * by {@link SecretKeys#cardReference} of the number — in Java, because the key is in a file SQL cannot reach.
     * Idempotent and safe on several nodes (a row is only rewritten if it still holds the clear number).
     */
    void ensureCardsHashed() {
        if (cardsHashed) {
            return;
        }
        synchronized (this) {
            if (cardsHashed) {
                return;
            }
            int n = credentials.rewriteReferences(CredentialKind.CARD, SecretKeys.HMAC_PREFIX,
                    clear -> keys.cardReference(normalised(clear)));
            if (n > 0) {
                LOG.info("{} IC card number(s) stored in clear replaced by keyed hashes", n);
            }
            cardsHashed = true;
        }
    }

    private static String normalised(String value) {
        return value == null ? "" : value.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
    }

    public WhitelistManager(HouseholdRepository households, CredentialRepository credentials,
                            ConsentRepository consents, FaceRegistry faces, SecretKeys keys,
                            ZoneId zone, Clock clock, WhitelistConfig config) {
        this.households = households;
        this.credentials = credentials;
        this.consents = consents;
        this.faces = faces;
        this.keys = keys;
        this.zone = zone;
        this.clock = clock;
        this.config = config;
        Duration first = Duration.ofSeconds(Math.max(1, config.checkLockoutSeconds()));
        Duration longest = Duration.ofMinutes(Math.max(1, config.checkMaxLockoutMinutes()));
        this.checks = new AttemptThrottle(new AttemptThrottle.Settings(Math.max(1, config.checkMaxFailures()),
                Duration.ofMinutes(Math.max(1, config.checkFailureWindowMinutes())), first,
                longest.compareTo(first) < 0 ? first : longest, Duration.ofDays(1)));
    }

    /** For tests and alerts without OSGi. */
    void setAlerts(AlertRepository alerts) {
        this.alerts = alerts;
    }

    static ZoneId zone(String configured) {
        return configured == null || configured.isBlank() ? ZoneId.systemDefault() : ZoneId.of(configured.trim());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unsetAuditLog")
    public void setAuditLog(AuditLog log) {
        audit.set(log);
    }

    public void unsetAuditLog(AuditLog log) {
        audit.unset(log);
    }

    public AuditTrail audit() {
        return audit;
    }

    public WhitelistConfig config() {
        return config;
    }

    public ZoneId zone() {
        return zone;
    }

    public Instant now() {
        return clock.instant();
    }

    // ---- households ------------------------------------------------------------------------------------------

    public List<Household> households(Caller c, String communityId) {
        return households.households(c.scope(), communityId);
    }

    public Household household(Caller c, String id) {
        return households.household(c.scope(), id).orElseThrow(() -> new NotFoundException("household", id));
    }

    public Household createHousehold(Caller c, String unitId, String name) {
        if (unitId == null || unitId.isBlank()) {
            throw Refusal.badRequest("field.required", "unitId");
        }
        if (name == null || name.isBlank()) {
            throw Refusal.badRequest("field.required", "name");
        }
        Household h = households.createHousehold(c.scope(), unitId, name.trim());
        audit.record(c.name(), "household.create", h.communityId(), h.id(), "unit=" + unitId);
        return h;
    }

    // ---- residents -------------------------------------------------------------------------------------------

    public List<Resident> residents(Caller c, String householdId) {
        List<Resident> list = households.residents(c.scope(), householdId);
        for (Resident r : list) {
            audit.record(c.name(), "resident.view", r.communityId(), r.id(), "household list " + householdId);
        }
        return list;
    }

    /** Residents of every household of a community (no audit: for the shell, which audits itself). */
    public List<Resident> communityResidents(Caller c, String communityId) {
        List<Resident> all = new ArrayList<>();
        for (Household h : households.households(c.scope(), communityId)) {
            all.addAll(households.residents(c.scope(), h.id()));
        }
        audit.record(c.name(), "resident.list", communityId, communityId, all.size() + " residents");
        return all;
    }

    public Resident resident(Caller c, String id) {
        Resident r = findResident(c.scope(), id);
        audit.record(c.name(), "resident.view", r.communityId(), r.id(), "");
        return r;
    }

    private Resident findResident(Scope scope, String id) {
        return households.resident(scope, id).orElseThrow(() -> new NotFoundException("resident", id));
    }

    /** A new resident's care flags and lease window, once the input passed the rules every new resident meets. */
    private record CheckedInput(Set<CareFlag> flags, Instant from, Instant until) {
    }

    /** The rules of a new resident (by hand or imported): required fields, who may set care flags, the lease. */
    private CheckedInput checked(Caller c, ResidentInput in) {
        requireResidentFields(in);
        Set<CareFlag> flags = in.careFlags() == null ? Set.of() : in.careFlags();
        if (!flags.isEmpty() && !mayCare(c)) {
            throw new Refusal(403, "FORBIDDEN", "careFlags.forbidden");
        }
        Instant from = instant("validFrom", in.validFrom(), false);
        Instant until = instant("validUntil", in.validUntil(), true);
        checkLease(from, until);
        return new CheckedInput(flags, from, until);
    }

    public NewResident addResident(Caller c, String householdId, ResidentInput in) {
        Household h = household(c, householdId);
        try {
            CheckedInput ok = checked(c, in);
            Resident r = households.addResident(c.scope(), householdId, in.name().trim(), in.role(), in.birthDate(),
                    blankToNull(in.phone()), ok.from(), ok.until(), ok.flags());
            IssuedCredential token;
            try {
                token = issueAppToken(c, r);
            } catch (RuntimeException e) {
                // never leave a resident without a non-face way in
                households.removeResident(c.scope(), r.id());
                throw e;
            }
            audit.record(c.name(), "resident.create", r.communityId(), r.id(), "household " + householdId + ", role "
                    + r.role());
            return new NewResident(r, token);
        } catch (Refusal | IllegalArgumentException e) {
            audit.refused(c.name(), "resident.create.refused", h.communityId(), householdId, e.getMessage());
            throw e;
        }
    }

    // ---- residents of a bulk import -----------------------------------------------------------------------------

    /**
     * A resident for a row of a bulk import, checked by the rules of {@link #addResident} (refusals audited as
     * {@code resident.create.refused}), with a new app-token secret sealed: what
     * {@link ImportJobRepository#importResident} stores, together with the row's outcome, in one transaction. The
     * app-token secret is shown to no one (a new one is issued when the resident sets up the app).
     */
    public ImportJobRepository.NewResident importedResident(Caller c, Household h, ResidentInput in) {
        try {
            CheckedInput ok = checked(c, in);
            return new ImportJobRepository.NewResident(h.id(), in.name().trim(), in.role(), in.birthDate(),
                    blankToNull(in.phone()), ok.from(), ok.until(), ok.flags(),
                    keys.seal(SecretKeys.random(APP_SECRET_BYTES)));
        } catch (Refusal | IllegalArgumentException e) {
            audit.refused(c.name(), "resident.create.refused", h.communityId(), h.id(), e.getMessage());
            throw e;
        }
    }

    /**
     * Audits what {@link ImportJobRepository#importResident} stored for a row ({@code resident.create},
     * {@code credential.issue}, {@code consent.give}); a failing audit log throws (the import stops).
     */
    public void residentImported(Caller c, ImportJobRepository.Imported imported, String jobId, int csvRow) {
        Resident r = imported.resident();
        audit.record(c.name(), "resident.create", r.communityId(), r.id(), "household " + r.householdId()
                + ", role " + r.role() + ", import " + jobId + " row " + csvRow);
        issued(c, imported.appToken());
        Consent given = imported.consent();
        if (given != null) {
            audit.record(c.name(), "consent.give", r.communityId(), r.id(), given.purpose() + " notice "
                    + given.noticeVersion() + " via " + given.channel());
        }
    }

    /**
     * The store removed a resident with its import row's failure ({@link ImportJobRepository#rowFailed}): this node's
     * gallery follows and the removal is audited ({@code resident.remove}).
     */
    public void importedResidentRemoved(Caller c, String communityId, String residentId, String why) {
        refreshGallery(c.scope(), communityId, residentId);
        audit.record(c.name(), "resident.remove", communityId, residentId, why);
    }

    /** The resident if present (not removed) and in scope, unaudited: for the import's own bookkeeping. */
    public Optional<Resident> presentResident(Caller c, String residentId) {
        return households.resident(c.scope(), residentId);
    }

    /** Whether the resident has an active FACE credential (unaudited: the import's bookkeeping). */
    public boolean hasActiveFace(Caller c, String residentId) {
        return credentials.credentials(c.scope(), residentId).stream()
                .anyMatch(cr -> cr.isActive() && cr.kind() == CredentialKind.FACE);
    }

    public Resident updateResident(Caller c, String id, ResidentInput in) {
        Resident old = findResident(c.scope(), id);
        try {
            requireResidentFields(in);
            Set<CareFlag> flags = in.careFlags() == null ? old.careFlags() : in.careFlags();
            if (!flags.equals(old.careFlags()) && !mayCare(c)) {
                throw new Refusal(403, "FORBIDDEN", "careFlags.forbidden");
            }
            Instant from = instant("validFrom", in.validFrom(), false);
            Instant until = instant("validUntil", in.validUntil(), true);
            checkLease(from, until);
            Resident updated = households.updateResident(c.scope(), new Resident(old.id(), old.communityId(),
                    old.householdId(), in.name().trim(), in.role(), in.birthDate(), blankToNull(in.phone()), from,
                    until, flags));
            audit.record(c.name(), "resident.update", updated.communityId(), updated.id(),
                    flags.equals(old.careFlags()) ? "" : "careFlags " + flags);
            return updated;
        } catch (Refusal | IllegalArgumentException e) {
            audit.refused(c.name(), "resident.update.refused", old.communityId(), id, e.getMessage());
            throw e;
        }
    }

    /**
     * Move-out: faces forgotten, every credential revoked (terminals told), the resident removed. The store writes
     * the credential changes and the move-out population change in the transactions of those changes.
     */
    public void removeResident(Caller c, String id) {
        Resident r = findResident(c.scope(), id);
        int templates = endFaces(c.scope(), r.communityId(), r.id(), false).templatesDeleted();
        households.removeResident(c.scope(), id); // revokes the other credentials, MOVE_OUT, in one transaction
        audit.record(c.name(), "resident.remove", r.communityId(), r.id(), templates + " face templates deleted");
    }

    private static void requireResidentFields(ResidentInput in) {
        if (in == null) {
            throw Refusal.badRequest("field.required", "body");
        }
        if (in.name() == null || in.name().isBlank()) {
            throw Refusal.badRequest("field.required", "name");
        }
        if (in.role() == null) {
            throw Refusal.badRequest("field.required", "role");
        }
    }

    private static boolean mayCare(Caller c) {
        return c.hasRole(Roles.CITY_ADMIN) || c.hasRole(Roles.COMMUNITY_OFFICE);
    }

    static void checkLease(Instant from, Instant until) {
        if (from != null && until != null && !until.isAfter(from)) {
            throw Refusal.badRequest("lease.endBeforeStart", "validUntil", "validFrom");
        }
    }

    /** A date (start of day; for an end: start of the next day, so the last day counts) or an ISO instant. */
    public Instant instant(String field, String value, boolean end) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return (end ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeException e) {
            throw Refusal.badRequest("field.date", field, v);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    // ---- credentials -----------------------------------------------------------------------------------------

    public List<Credential> credentials(Caller c, String residentId) {
        Resident r = findResident(c.scope(), residentId);
        ensureCardsHashed(); // never answer a card number in clear
        List<Credential> list = credentials.credentials(c.scope(), residentId);
        audit.record(c.name(), "credential.view", r.communityId(), r.id(), list.size() + " credentials");
        return list;
    }

    public IssuedCredential issueCredential(Caller c, String residentId, CredentialKind kind, String value) {
        Resident r = findResident(c.scope(), residentId);
        try {
            if (kind == null) {
                throw Refusal.badRequest("field.required", "kind");
            }
            return switch (kind) {
                case APP_TOKEN -> issueAppToken(c, r);
                case FACE -> throw Refusal.badRequest("credential.faceViaEnrollment");
                case ID_CARD, PIN, CARD -> {
                    if (kind == CredentialKind.CARD) {
                        ensureCardsHashed();
                    }
                    String reference = reference(r.communityId(), kind, value);
                    if (credentials.active(c.scope(), r.communityId(), kind, reference).isPresent()) {
                        throw duplicate(kind);
                    }
                    Credential cr;
                    try {
                        cr = credentials.issue(c.scope(), r.id(), kind, reference);
                    } catch (ConflictException e) {
                        throw duplicate(kind);
                    }
                    issued(c, cr);
                    yield new IssuedCredential(cr, null, null);
                }
            };
        } catch (Refusal e) {
            audit.refused(c.name(), "credential.issue.refused", r.communityId(), r.id(),
                    (kind == null ? "" : kind + ": ") + e.getMessage());
            throw e;
        }
    }

    private static Refusal duplicate(CredentialKind kind) {
        return switch (kind) {
            case ID_CARD -> Refusal.conflict("DUPLICATE_ID_CARD", "credential.duplicateIdCard");
            case PIN -> Refusal.conflict("PIN_TAKEN", "credential.pinTaken");
            default -> Refusal.conflict("DUPLICATE_CARD", "credential.duplicateCard");
        };
    }

    /**
     * What is stored for a presented value: a keyed hash for an ID card number or PIN, a keyed hash and at most the
     * last four characters for an IC card number.
     */
    String reference(String communityId, CredentialKind kind, String value) {
        String v = normalised(value);
        switch (kind) {
            case ID_CARD -> {
                if (!v.matches("\\d{17}[\\dX]|\\d{15}")) {
                    throw Refusal.badRequest("credential.badIdCard");
                }
                return keys.hash("ID_CARD", v);
            }
            case PIN -> {
                if (!v.matches("\\d{4,8}")) {
                    throw Refusal.badRequest("credential.badPin");
                }
                return keys.hash("PIN:" + communityId, v);
            }
            case CARD -> {
                if (!v.matches("[0-9A-Z:-]{4,64}")) {
                    throw Refusal.badRequest("credential.badCard");
                }
                return keys.cardReference(v);
            }
            default -> throw Refusal.badRequest("credential.badKind", kind);
        }
    }

    private IssuedCredential issueAppToken(Caller c, Resident r) {
        byte[] secret = SecretKeys.random(APP_SECRET_BYTES);
        Credential cr = credentials.issue(c.scope(), r.id(), CredentialKind.APP_TOKEN, keys.seal(secret));
        issued(c, cr);
        String b32 = Totp.base32(secret);
        String uri = "otpauth://totp/Gatehouse:" + URLEncoder.encode(r.id(), StandardCharsets.UTF_8) + "?secret=" + b32
                + "&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30";
        return new IssuedCredential(cr, b32, uri);
    }

    private void issued(Caller c, Credential cr) {
        // the store wrote the ISSUED credential change with the credential
        audit.record(c.name(), "credential.issue", cr.communityId(), cr.residentId(), cr.kind() + " " + cr.id());
    }

    /**
     * Revokes a credential of a resident. The last active non-face credential is refused (409); revoking a
     * face deletes every face template of the resident (the registry forgets per person) and all face credentials.
     */
    /** Revokes a credential known by its id alone (it names its resident). */
    public Credential revokeCredential(Caller c, String credentialId) {
        Credential target = credentials.credential(c.scope(), credentialId)
                .orElseThrow(() -> new NotFoundException("credential", credentialId));
        return revokeCredential(c, target.residentId(), credentialId);
    }

    public Credential revokeCredential(Caller c, String residentId, String credentialId) {
        Resident r = findResident(c.scope(), residentId);
        List<Credential> all = credentials.credentials(c.scope(), residentId);
        Credential target = all.stream().filter(cr -> cr.id().equals(credentialId)).findFirst()
                .orElseThrow(() -> new NotFoundException("credential", credentialId));
        if (!target.isActive()) {
            return target;
        }
        if (target.kind().isFace()) {
            endFaces(c.scope(), r.communityId(), r.id(), false);
            audit.record(c.name(), "credential.revoke", r.communityId(), r.id(), target.kind() + " " + target.id());
            return credentials.credentials(c.scope(), residentId).stream()
                    .filter(cr -> cr.id().equals(credentialId)).findFirst().orElse(target);
        }
        boolean otherNonFace = all.stream().anyMatch(cr -> cr.isActive() && !cr.kind().isFace()
                && !cr.id().equals(credentialId));
        if (!otherNonFace) {
            audit.refused(c.name(), "credential.revoke.refused", r.communityId(), r.id(),
                    "last non-face credential " + target.id());
            throw Refusal.conflict("LAST_NON_FACE_CREDENTIAL", "credential.lastNonFace");
        }
        Credential revoked = credentials.revoke(c.scope(), credentialId); // REVOKED written with the revoke
        audit.record(c.name(), "credential.revoke", r.communityId(), r.id(), target.kind() + " " + target.id());
        return revoked;
    }

    /**
     * Ends the faces of a resident: the store deletes the templates, revokes the face credentials and writes their
     * credential changes (REVOKED, FACE_DELETED) in one transaction; then this node's gallery follows the store.
     *
     * @param always tell the terminals even if nothing was known here (consent withdrawn: be sure)
     */
    private FacesEnded endFaces(Scope scope, String communityId, String residentId, boolean always) {
        FacesEnded ended = credentials.endFaces(scope, residentId, always);
        refreshGallery(scope, communityId, residentId);
        return ended;
    }

    /**
     * The store changed the resident's templates; this node's gallery takes them from the store again now (other
     * nodes do when the credential change reaches them). If that fails the change is still done and the face already
     * out of the gallery (the registry removes first); the FACE_DELETED / REVOKED event retries the refresh.
     */
    private void refreshGallery(Scope scope, String communityId, String residentId) {
        try {
            faces.refresh(scope, communityId, residentId);
        } catch (RuntimeException e) {
            LOG.warn("Gallery of community {} not refreshed for resident {} yet (the credential change will): {}",
                    communityId, residentId, e.toString());
        }
    }

    // ---- consents --------------------------------------------------------------------------------------------

    public List<Consent> consents(Caller c, String residentId) {
        Resident r = findResident(c.scope(), residentId);
        List<Consent> list = consents.consents(c.scope(), residentId);
        audit.record(c.name(), "consent.view", r.communityId(), r.id(), list.size() + " consents");
        return list;
    }

    public Consent giveConsent(Caller c, String residentId, String purpose, String noticeVersion, String channel) {
        Resident r = findResident(c.scope(), residentId);
        for (String[] f : new String[][] {{"purpose", purpose}, {"noticeVersion", noticeVersion}, {"channel", channel}}) {
            if (f[1] == null || f[1].isBlank()) {
                audit.refused(c.name(), "consent.give.refused", r.communityId(), r.id(), f[0] + " missing");
                throw Refusal.badRequest("field.required", f[0]);
            }
        }
        Optional<Consent> same = consents.inForce(c.scope(), residentId, purpose.trim())
                .filter(x -> x.noticeVersion().equals(noticeVersion.trim()));
        if (same.isPresent()) {
            return same.get();
        }
        Consent given = consents.give(c.scope(), residentId, purpose.trim(), noticeVersion.trim(), channel.trim(),
                c.name());
        audit.record(c.name(), "consent.give", r.communityId(), r.id(), given.purpose() + " notice "
                + given.noticeVersion() + " via " + given.channel());
        return given;
    }

    /**
     * Withdraws a consent; for face access (and no other face consent left) the store ends the faces in the same
     * transaction (templates deleted, face credentials revoked, REVOKED and FACE_DELETED written), then this node's
     * gallery forgets them.
     */
    public Withdrawal withdrawConsent(Caller c, String consentId) {
        ConsentRepository.Withdrawal withdrawal = consents.withdrawConsent(c.scope(), consentId);
        Consent consent = withdrawal.consent();
        int deleted = 0;
        List<String> revoked = new ArrayList<>();
        FacesEnded ended = withdrawal.facesEnded();
        if (ended != null) {
            refreshGallery(c.scope(), consent.communityId(), consent.residentId());
            deleted = ended.templatesDeleted();
            ended.revoked().forEach(cr -> revoked.add(cr.id()));
        }
        audit.record(c.name(), "consent.withdraw", consent.communityId(), consent.residentId(),
                consent.purpose() + "; " + deleted + " face templates deleted, " + revoked.size() + " face credentials revoked");
        return new Withdrawal(consent, deleted, revoked);
    }

    // ---- faces -----------------------------------------------------------------------------------------------

    /**
     * Enrolls a face photo: needs a face-access consent in force and an active non-face credential; issues a
     * FACE credential whose reference is the template id. A {@link FaceException} passes through (audited).
     * <p>
     * The rules are checked here for a quick answer, and checked again by the store in the transaction that saves
     * the template and issues the credential, under the resident's row lock (a consent withdrawn while the engine was
     * computing the template is seen there: 409, nothing stored). If anything fails after that save (the audit), the
     * face is revoked again, its template deleted with it.
     */
    public Credential enrollFace(Caller c, String residentId, byte[] image) {
        Resident r = findResident(c.scope(), residentId);
        if (consents.inForce(c.scope(), residentId, Consent.PURPOSE_FACE_ACCESS).isEmpty()) {
            audit.refused(c.name(), "face.enroll.refused", r.communityId(), r.id(), "no face-access consent in force");
            throw noConsent();
        }
        boolean nonFace = credentials.credentials(c.scope(), residentId).stream()
                .anyMatch(cr -> cr.isActive() && !cr.kind().isFace());
        if (!nonFace) {
            audit.refused(c.name(), "face.enroll.refused", r.communityId(), r.id(), "no active non-face credential");
            throw noNonFaceCredential();
        }
        FaceRegistry.ResidentEnrollment e;
        try {
            e = faces.enrollResident(c.scope(), r.communityId(), r.id(), image, Consent.PURPOSE_FACE_ACCESS);
        } catch (FaceException fe) {
            audit.refused(c.name(), "face.enroll.refused", r.communityId(), r.id(), fe.code().name());
            throw fe;
        } catch (PreconditionFailedException pf) {
            boolean consent = pf.reason() == PreconditionFailedException.Reason.CONSENT_NOT_IN_FORCE;
            audit.refused(c.name(), "face.enroll.refused", r.communityId(), r.id(), (consent
                    ? "no face-access consent in force" : "no active non-face credential")
                    + " when the template was to be saved (changed during enrollment)");
            throw consent ? noConsent() : noNonFaceCredential();
        }
        Credential cr = e.credential();
        try {
            audit.record(c.name(), "face.enroll", r.communityId(), r.id(), "template " + e.enrollment().templateId()
                    + " model " + e.enrollment().modelId());
        } catch (RuntimeException failure) {
            // nothing goes unaudited: undo the enrollment (the store deletes the template with the credential)
            try {
                credentials.revoke(c.scope(), cr.id());
                refreshGallery(c.scope(), r.communityId(), r.id());
            } catch (RuntimeException undo) {
                failure.addSuppressed(undo);
            }
            throw failure;
        }
        return cr;
    }

    private static Refusal noConsent() {
        return Refusal.conflict("NO_FACE_CONSENT", "face.noConsent");
    }

    private static Refusal noNonFaceCredential() {
        return Refusal.conflict("NO_NON_FACE_CREDENTIAL", "face.noNonFaceCredential");
    }

    // ---- the gate's questions --------------------------------------------------------------------------------

    @Override
    public AccessCheck check(Scope scope, String residentId, Instant at) {
        Objects.requireNonNull(at, "at");
        Optional<Resident> found = residentId == null ? Optional.empty() : households.resident(scope, residentId);
        if (found.isEmpty()) {
            return AccessCheck.refused(AccessCheck.Reason.NOT_REGISTERED, null, null, at);
        }
        Resident r = found.get();
        if (r.validFrom() != null && at.isBefore(r.validFrom())) {
            return AccessCheck.refused(AccessCheck.Reason.NOT_YET_VALID, r.id(), r.communityId(), at);
        }
        if (r.validUntil() != null && !at.isBefore(r.validUntil())) {
            return AccessCheck.refused(AccessCheck.Reason.LEASE_ENDED, r.id(), r.communityId(), at);
        }
        return new AccessCheck(true, AccessCheck.Reason.VALID, r.id(), r.communityId(), at);
    }

    @Override
    public AccessCheck checkCredential(Scope scope, String communityId, CredentialKind kind, String presented,
                                       Instant at) {
        if (kind == CredentialKind.CARD) {
            ensureCardsHashed();
        }
        String reference;
        try {
            reference = reference(communityId, kind, presented);
        } catch (Refusal e) {
            return AccessCheck.refused(AccessCheck.Reason.CREDENTIAL_UNKNOWN, null, communityId, at);
        }
        return credentials.active(scope, communityId, kind, reference)
                .map(cr -> check(scope, cr.residentId(), at))
                .orElseGet(() -> AccessCheck.refused(AccessCheck.Reason.CREDENTIAL_UNKNOWN, null, communityId, at));
    }

    @Override
    public AccessCheck checkCredential(Scope scope, String communityId, CredentialKind kind, String presented,
                                       Instant at, String deviceId) {
        return throttled(scope, communityId, at, List.of("device:" + deviceId), "terminal " + deviceId,
                () -> checkCredential(scope, communityId, kind, presented, at));
    }

    @Override
    public AccessCheck checkAppCode(Scope scope, String residentId, String code, Instant at, String deviceId) {
        String community = residentId == null ? null
                : households.resident(scope, residentId).map(Resident::communityId).orElse(null);
        return throttled(scope, community, at, List.of("device:" + deviceId, "resident:" + residentId),
                "terminal " + deviceId + ", app code of resident " + residentId,
                () -> checkAppCode(scope, residentId, code, at));
    }

    /**
     * Runs a credential check unless one of {@code keys} (the terminal, the person) is locked out; a wrong
     * credential counts against each key, and the failure that starts a lockout is logged, audited and raised
     * as a CODE_GUESSING alert. While locked the presented credential is not looked at, so the right one is
     * refused too (each guess would otherwise still win with probability N/10^6 among N PINs).
     */
    private AccessCheck throttled(Scope scope, String communityId, Instant at, List<String> keys, String who,
                                  java.util.function.Supplier<AccessCheck> check) {
        Instant now = clock.instant();
        for (String key : keys) {
            if (checks.lockedUntil(key, now).isPresent()) {
                return AccessCheck.refused(AccessCheck.Reason.TOO_MANY_ATTEMPTS, null, communityId, at);
            }
        }
        AccessCheck result = check.get();
        if (result.reason() == AccessCheck.Reason.CREDENTIAL_UNKNOWN) {
            for (String key : keys) {
                checks.failure(key, now).ifPresent(l -> lockedOut(l, communityId, who));
            }
        }
        return result;
    }

    private void lockedOut(AttemptThrottle.Lockout l, String communityId, String who) {
        String detail = l.failures() + " wrong credentials within " + checks.settings().window().toMinutes()
                + " min: checks of " + l.key() + " locked for " + l.length().toSeconds() + " s until " + l.until()
                + " (lockout " + l.level() + " in a row)";
        LOG.warn("Credential checks locked ({}): {}", who, detail);
        audit.refused("whitelist", "credential.check.locked", communityId, null, who + ": " + detail);
        AlertRepository repository = alerts;
        if (repository == null || communityId == null) {
            return;
        }
        try {
            String message = String.format("%s：%d 次凭证（密码/卡/动态码）核验失败，已暂停核验 %d 秒（至 %s，连续第 %d 次）/ "
                    + "%s: %d wrong credentials (PIN, card, app code), checks locked for %d s until %s (lockout %d in"
                    + " a row)", who, l.failures(), l.length().toSeconds(), l.until(), l.level(), who, l.failures(),
                    l.length().toSeconds(), l.until(), l.level());
            repository.raise(new Alert(java.util.UUID.randomUUID().toString(), communityId, AlertType.CODE_GUESSING,
                    l.level() >= 3 ? AlertSeverity.CRITICAL : AlertSeverity.WARNING, AlertStatus.OPEN, null, message,
                    clock.instant(), List.of()));
        } catch (RuntimeException e) {
            LOG.error("Could not raise the alert for the lockout of {}: {}", who, e.toString());
        }
    }

    @Override
    public AccessCheck checkAppCode(Scope scope, String residentId, String code, Instant at) {
        AccessCheck resident = check(scope, residentId, at);
        if (resident.reason() == AccessCheck.Reason.NOT_REGISTERED) {
            return resident;
        }
        boolean ok = credentials.credentials(scope, residentId).stream()
                .filter(cr -> cr.isActive() && cr.kind() == CredentialKind.APP_TOKEN)
                .anyMatch(cr -> Totp.verify(keys.open(cr.reference()), code, at, 1));
        if (!ok) {
            LOG.debug("wrong app code for resident {}", residentId);
            return AccessCheck.refused(AccessCheck.Reason.CREDENTIAL_UNKNOWN, residentId, resident.communityId(), at);
        }
        return resident;
    }
}
