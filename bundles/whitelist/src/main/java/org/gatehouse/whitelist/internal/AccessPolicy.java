package org.gatehouse.whitelist.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.core.api.AttemptThrottle;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.api.Whitelist;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's questions ({@link Whitelist}): registered and inside the lease window; a presented card, ID card number,
 * PIN or app code looked up through {@link Credentials}. Wrong credentials are throttled per terminal (and per
 * resident for app codes): the failure that starts a lockout is logged, audited and raised as a CODE_GUESSING alert.
 * <p>
 * The store answers whenever it can; only when it is unavailable do {@link #check} and {@link #checkCredential} answer
 * from the {@link OfflineWhitelist} copy (the answer says {@link AccessCheck#offline()}; the throttle, in memory,
 * applies the same). App codes stay online-only: the normal path reads the sealed TOTP secret from the database for
 * each check and keeps no secret in memory, and the copy does not either.
 */
@Component(service = Whitelist.class, configurationPid = WhitelistConfig.PID)
public class AccessPolicy implements Whitelist {
    private static final Logger LOG = LoggerFactory.getLogger(AccessPolicy.class);

    private final HouseholdRepository households;
    private final Credentials credentials;
    private final OfflineWhitelist offline;
    private final Clock clock;
    private final AuditTrail audit;
    /** Wrong credentials presented at terminals (and for a resident's app code): see {@link #throttled}. */
    private final AttemptThrottle checks;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AlertRepository alerts;

    @Activate
    public AccessPolicy(@Reference HouseholdRepository households, @Reference Credentials credentials,
                        @Reference OfflineWhitelist offline, WhitelistConfig config, @Reference AuditTrails trails) {
        this(households, credentials, offline, Clock.systemUTC(), config, trails);
    }

    public AccessPolicy(HouseholdRepository households, Credentials credentials, OfflineWhitelist offline, Clock clock,
                        WhitelistConfig config, AuditTrails trails) {
        this.audit = trails.of("whitelist");
        this.households = households;
        this.credentials = credentials;
        this.offline = offline;
        this.clock = clock;
        // the lower bounds are the metatype's minimums, for a cfg file that does not respect them
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


    @Override
    public AccessCheck check(Scope scope, String residentId, Instant at) {
        Objects.requireNonNull(at, "at");
        Optional<Resident> found;
        try {
            found = residentId == null ? Optional.empty() : households.resident(scope, residentId);
        } catch (StoreUnavailableException down) {
            return offline.check(scope, residentId, at).orElseThrow(() -> down);
        }
        if (found.isEmpty()) {
            return AccessCheck.refused(AccessCheck.Reason.NOT_REGISTERED, null, null, at);
        }
        Resident r = found.get();
        offline.seen(r);
        offline.wanted(r.communityId()); // the store answers: keep a copy of the community for when it does not
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
        Optional<Credential> found;
        try {
            found = credentials.presented(scope, communityId, kind, presented);
        } catch (StoreUnavailableException down) {
            return offline.checkCredential(scope, communityId, kind,
                    credentials.presentedReference(communityId, kind, presented), at).orElseThrow(() -> down);
        }
        offline.wanted(communityId); // the store answers: keep a copy of the community for when it does not
        return found.map(cr -> check(scope, cr.residentId(), at))
                .orElseGet(() -> AccessCheck.refused(AccessCheck.Reason.CREDENTIAL_UNKNOWN, null, communityId, at));
    }

    @Override
    public Optional<OfflineResident> offlineResident(Scope scope, String residentId) {
        return offline.resident(scope, residentId);
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

    @Override
    public AccessCheck checkAppCode(Scope scope, String residentId, String code, Instant at) {
        AccessCheck resident = check(scope, residentId, at);
        if (resident.reason() == AccessCheck.Reason.NOT_REGISTERED) {
            return resident;
        }
        if (!credentials.appCodeMatches(scope, residentId, code, at)) {
            LOG.debug("wrong app code for resident {}", residentId);
            return AccessCheck.refused(AccessCheck.Reason.CREDENTIAL_UNKNOWN, residentId, resident.communityId(), at);
        }
        return resident;
    }

    /**
     * Runs a credential check unless one of {@code keys} (the terminal, the person) is locked out; a wrong
     * credential counts against each key, and the failure that starts a lockout is logged, audited and raised
     * as a CODE_GUESSING alert. While locked the presented credential is not looked at, so the right one is
     * refused too (each guess would otherwise still win with probability N/10^6 among N PINs).
     */
    private AccessCheck throttled(Scope scope, String communityId, Instant at, List<String> keys, String who,
                                  Supplier<AccessCheck> check) {
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
            repository.raise(new Alert(UUID.randomUUID().toString(), communityId, AlertType.CODE_GUESSING,
                    l.level() >= 3 ? AlertSeverity.CRITICAL : AlertSeverity.WARNING, AlertStatus.OPEN, null, message,
                    clock.instant(), List.of()));
        } catch (RuntimeException e) {
            LOG.error("Could not raise the alert for the lockout of {}: {}", who, e.toString());
        }
    }
}
