package org.gatehouse.whitelist.internal;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.KeyChecks;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.whitelist.api.CredentialIssuer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.gatehouse.core.api.Refusal;
import org.gatehouse.api.service.IdNumbers;

/**
 * {@link Credentials} over the store, with the module's key ({@link WhitelistConfig#keyFile()}): the store writes
 * every {@code credential-changes} event (issue, revoke, faces ended) in the transaction of the change it reports.
 * The metatype of the whole pid {@link WhitelistConfig#PID} is designated here.
 */
@Component(service = {Credentials.class, IdNumbers.class, CredentialIssuer.class}, configurationPid = WhitelistConfig.PID)
@Designate(ocd = WhitelistConfig.class)
public class StoredCredentials implements Credentials, IdNumbers, CredentialIssuer {
    private static final Logger LOG = LoggerFactory.getLogger(StoredCredentials.class);
    private static final int APP_SECRET_BYTES = 20;

    private final HouseholdRepository households;
    private final CredentialRepository credentials;
    private final SecretKeys keys;
    private final Gallery gallery;
    private final AuditTrail audit;
    /** Set once no IC card number is stored in clear any more (see {@link #ensureCardsHashed()}). */
    private volatile boolean cardsHashed;

    @Activate
    public StoredCredentials(@Reference HouseholdRepository households, @Reference CredentialRepository credentials,
                             @Reference FaceRegistry faces, @Reference KeyChecks keyChecks, WhitelistConfig config,
                             @Reference AuditTrails trails) {
        this(households, credentials, faces, SecretKeys.load(SecretKeys.keyFile(config.keyFile()), keyChecks), trails);
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

    public StoredCredentials(HouseholdRepository households, CredentialRepository credentials, FaceRegistry faces,
                             SecretKeys keys, AuditTrails trails) {
        this.audit = trails.of("whitelist");
        this.households = households;
        this.credentials = credentials;
        this.keys = keys;
        this.gallery = new Gallery(faces, credentials);
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

    private Resident findResident(Scope scope, String id) {
        return households.resident(scope, id).orElseThrow(() -> new NotFoundException("resident", id));
    }

    @Override
    public List<Credential> credentials(Caller c, String residentId) {
        Resident r = findResident(c.scope(), residentId);
        ensureCardsHashed(); // never answer a card number in clear
        List<Credential> list = credentials.credentials(c.scope(), residentId);
        audit.record(c.name(), "credential.view", r.communityId(), r.id(), list.size() + " credentials");
        return list;
    }

    @Override
    public IssuedCredential issueCredential(Caller c, String residentId, CredentialKind kind, String value) {
        Resident r = findResident(c.scope(), residentId);
        try {
            if (kind == null) {
                throw MESSAGES.badRequest("field.required", "kind");
            }
            return switch (kind) {
                case APP_TOKEN -> issueAppToken(c, r);
                case FACE -> throw MESSAGES.badRequest("credential.faceViaEnrollment");
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
                        // an ID card's number is also kept sealed, for the consumers configured to receive it
                        cr = credentials.issue(c.scope(), r.id(), kind, reference, kind == CredentialKind.ID_CARD
                                ? keys.sealIdNumber(normalised(value)) : null);
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

    /** {@link CredentialIssuer}: {@link #issueCredential} as {@code actor} in {@code scope}, cards, ID cards and PINs only. */
    @Override
    public Credential issue(Scope scope, String actor, String residentId, CredentialKind kind, String value) {
        if (kind != CredentialKind.CARD && kind != CredentialKind.ID_CARD && kind != CredentialKind.PIN) {
            throw MESSAGES.badRequest("credential.badKind", kind);
        }
        return issueCredential(new Caller(actor, java.util.Set.of(), scope), residentId, kind, value).credential();
    }

    /** The resident's ID card number, opened from the sealed copy kept with its newest ID card credential. */
    @Override
    public java.util.Optional<String> idNumber(String residentId) {
        return credentials.sealedValue(residentId, CredentialKind.ID_CARD).flatMap(keys::openIdNumber);
    }

    private static Refusal duplicate(CredentialKind kind) {
        return switch (kind) {
            case ID_CARD -> MESSAGES.conflict("DUPLICATE_ID_CARD", "credential.duplicateIdCard");
            case PIN -> MESSAGES.conflict("PIN_TAKEN", "credential.pinTaken");
            default -> MESSAGES.conflict("DUPLICATE_CARD", "credential.duplicateCard");
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
                    throw MESSAGES.badRequest("credential.badIdCard");
                }
                return keys.hash("ID_CARD", v);
            }
            case PIN -> {
                if (!v.matches("\\d{4,8}")) {
                    throw MESSAGES.badRequest("credential.badPin");
                }
                return keys.hash("PIN:" + communityId, v);
            }
            case CARD -> {
                if (!v.matches("[0-9A-Z:-]{4,64}")) {
                    throw MESSAGES.badRequest("credential.badCard");
                }
                return keys.cardReference(v);
            }
            default -> throw MESSAGES.badRequest("credential.badKind", kind);
        }
    }

    @Override
    public IssuedCredential issueAppToken(Caller c, Resident r) {
        byte[] secret = SecretKeys.random(APP_SECRET_BYTES);
        Credential cr = credentials.issue(c.scope(), r.id(), CredentialKind.APP_TOKEN, keys.seal(secret));
        issued(c, cr);
        String b32 = Totp.base32(secret);
        String uri = "otpauth://totp/Gatehouse:" + URLEncoder.encode(r.id(), StandardCharsets.UTF_8) + "?secret=" + b32
                + "&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30";
        return new IssuedCredential(cr, b32, uri);
    }

    @Override
    public String sealedAppSecret() {
        return keys.seal(SecretKeys.random(APP_SECRET_BYTES));
    }

    private void issued(Caller c, Credential cr) {
        // the store wrote the ISSUED credential change with the credential
        audit.record(c.name(), "credential.issue", cr.communityId(), cr.residentId(), cr.kind() + " " + cr.id());
    }

    @Override
    public Credential revokeCredential(Caller c, String credentialId) {
        Credential target = credentials.credential(c.scope(), credentialId)
                .orElseThrow(() -> new NotFoundException("credential", credentialId));
        return revokeCredential(c, target.residentId(), credentialId);
    }

    @Override
    public Credential revokeCredential(Caller c, String residentId, String credentialId) {
        Resident r = findResident(c.scope(), residentId);
        List<Credential> all = credentials.credentials(c.scope(), residentId);
        Credential target = all.stream().filter(cr -> cr.id().equals(credentialId)).findFirst()
                .orElseThrow(() -> new NotFoundException("credential", credentialId));
        if (!target.isActive()) {
            return target;
        }
        if (target.kind().isFace()) {
            gallery.endFaces(c.scope(), r.communityId(), r.id(), false);
            audit.record(c.name(), "credential.revoke", r.communityId(), r.id(), target.kind() + " " + target.id());
            return credentials.credentials(c.scope(), residentId).stream()
                    .filter(cr -> cr.id().equals(credentialId)).findFirst().orElse(target);
        }
        boolean otherNonFace = all.stream().anyMatch(cr -> cr.isActive() && !cr.kind().isFace()
                && !cr.id().equals(credentialId));
        if (!otherNonFace) {
            audit.refused(c.name(), "credential.revoke.refused", r.communityId(), r.id(),
                    "last non-face credential " + target.id());
            throw MESSAGES.conflict("LAST_NON_FACE_CREDENTIAL", "credential.lastNonFace");
        }
        Credential revoked = credentials.revoke(c.scope(), credentialId); // REVOKED written with the revoke
        audit.record(c.name(), "credential.revoke", r.communityId(), r.id(), target.kind() + " " + target.id());
        return revoked;
    }

    // ---- the gate's look-ups ---------------------------------------------------------------------------------

    @Override
    public Optional<Credential> presented(Scope scope, String communityId, CredentialKind kind, String presented) {
        if (kind == CredentialKind.CARD) {
            ensureCardsHashed();
        }
        return presentedReference(communityId, kind, presented)
                .flatMap(reference -> credentials.active(scope, communityId, kind, reference));
    }

    @Override
    public Optional<String> presentedReference(String communityId, CredentialKind kind, String presented) {
        try {
            return Optional.of(reference(communityId, kind, presented));
        } catch (Refusal e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean appCodeMatches(Scope scope, String residentId, String code, Instant at) {
        return credentials.credentials(scope, residentId).stream()
                .filter(cr -> cr.isActive() && cr.kind() == CredentialKind.APP_TOKEN)
                .anyMatch(cr -> Totp.verify(keys.open(cr.reference()), code, at, 1));
    }
}
