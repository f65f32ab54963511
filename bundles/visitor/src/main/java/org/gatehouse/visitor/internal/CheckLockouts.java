package org.gatehouse.visitor.internal;

import static org.gatehouse.visitor.internal.Messages.MESSAGES;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.AttemptThrottle;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.api.PassCheck.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guessing pass codes is throttled: checks that do not open are counted per key (a gate terminal, a staff caller, a
 * gate name) by an {@link AttemptThrottle} set from {@link VisitorConfig}; the failure that starts a lockout is
 * logged ({@code CHECKS_LOCKED}), audited ({@code pass.check.locked}) and raised as a {@code CODE_GUESSING} alert.
 * In memory, per node, lost on restart.
 */
final class CheckLockouts {
    private static final Logger LOG = LoggerFactory.getLogger(CheckLockouts.class);

    private final AttemptThrottle throttle;
    private final AlertRepository alerts;
    private final VisitLog log;
    private final AuditTrail audit;
    private final Clock clock;

    CheckLockouts(VisitorConfig config, AlertRepository alerts, VisitLog log, AuditTrail audit, Clock clock) {
        this.throttle = new AttemptThrottle(settings(config));
        this.alerts = alerts;
        this.log = log;
        this.audit = audit;
        this.clock = clock;
    }

    /** The throttle's settings from config; values below their minimum are raised to it. */
    static AttemptThrottle.Settings settings(VisitorConfig config) {
        Duration first = Duration.ofSeconds(Math.max(1, config.checkLockoutSeconds()));
        Duration max = Duration.ofMinutes(Math.max(1, config.checkMaxLockoutMinutes()));
        return new AttemptThrottle.Settings(Math.max(1, config.checkMaxFailures()),
                Duration.ofMinutes(Math.max(1, config.checkFailureWindowMinutes())), first,
                max.compareTo(first) < 0 ? first : max, Duration.ofDays(1));
    }

    private Instant now() {
        return clock.instant();
    }

    /**
     * Runs a check unless {@code key} is locked out (or as many of its checks are in flight as it has failures
     * left): then the code is not looked at and the answer is {@code TOO_MANY_ATTEMPTS} (logged
     * {@code PASS_REFUSED}). A check that does not open counts as a failure of {@code key}; the failure that starts a
     * lockout is logged, audited and alerted ({@code who} and {@code subject} name it). Times are the platform
     * clock's, not the caller's.
     */
    PassCheck throttled(String key, Scope scope, String communityId, String gate, String actor, String who,
                        String subject, Supplier<PassCheck> check) {
        if (!throttle.begin(key, now())) {
            log.write(scope, communityId, null, null, "PASS_REFUSED", actor, gate, Reason.TOO_MANY_ATTEMPTS.name());
            return PassCheck.refused(Reason.TOO_MANY_ATTEMPTS);
        }
        boolean ended = false;
        try {
            PassCheck answer = check.get();
            if (!answer.opens()) {
                ended = true;
                throttle.failure(key, now()).ifPresent(l -> lockedOut(l, scope, communityId, gate, who, subject));
            }
            return answer;
        } finally {
            if (!ended) {
                throttle.end(key);
            }
        }
    }

    /** A locked-out check over REST: 429 {@code TOO_MANY_ATTEMPTS} with the seconds left; other answers as they are. */
    PassCheck orTooMany(PassCheck answer, String key) {
        if (answer.reason() != Reason.TOO_MANY_ATTEMPTS) {
            return answer;
        }
        Instant now = now();
        long seconds = throttle.lockedUntil(key, now).map(u -> Math.max(1, (Duration.between(now, u).toMillis() + 999)
                / 1000)).orElse(1L);
        throw MESSAGES.refusal(429, "TOO_MANY_ATTEMPTS", "check.tooManyAttempts", String.valueOf(seconds));
    }

    /** A lockout has started: visitor log, audit trail and an alert; none of them failing stops the refusal. */
    private void lockedOut(AttemptThrottle.Lockout l, Scope scope, String communityId, String gate, String actor,
                           String subject) {
        AttemptThrottle.Settings s = throttle.settings();
        String detail = l.failures() + " refused checks within " + s.window().toMinutes() + " min: checks locked for "
                + l.length().toSeconds() + " s until " + l.until() + " (lockout " + l.level() + " in a row)";
        LOG.warn("Pass checks of {} at gate {} locked: {}", actor, gate, detail);
        try {
            log.write(scope, communityId, null, null, "CHECKS_LOCKED", actor, gate, detail);
        } catch (RuntimeException e) {
            LOG.error("Could not log the lockout of {}: {}", actor, e.toString());
        }
        audit.refused(actor, "pass.check.locked", communityId, subject, "gate " + gate + ": " + detail);
        try {
            String message = String.format("门禁“%s”（%s）%d 次访客通行码核验失败，已暂停核验 %d 秒（至 %s，连续第 %d 次）/ "
                    + "%d refused visitor pass checks at gate '%s' (%s): checks locked for %d s until %s (lockout %d "
                    + "in a row)", gate, actor, l.failures(), l.length().toSeconds(), l.until(), l.level(),
                    l.failures(), gate, actor, l.length().toSeconds(), l.until(), l.level());
            alerts.raise(new Alert(UUID.randomUUID().toString(), communityId, AlertType.CODE_GUESSING,
                    l.level() >= 3 ? AlertSeverity.CRITICAL : AlertSeverity.WARNING, AlertStatus.OPEN, subject, message,
                    now(), List.of()));
        } catch (RuntimeException e) {
            LOG.error("Could not raise the alert for the lockout of {}: {}", actor, e.toString());
        }
    }
}
