package org.gatehouse.api.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the database remembers of the secret keys Gatehouse keeps in files outside it: per purpose, a <em>check
 * value</em> (HMAC-SHA256 of a fixed label made with the key, never the key) recorded the first time a key is used
 * with this database. A module that starts with a missing key file, or a file holding another key, finds the record
 * here and refuses instead of creating a new key that could not read what the database holds
 * ({@link org.gatehouse.api.keys.KeyGuard}).
 */
public interface KeyChecks {
    /** The whitelist key ({@code etc/gatehouse-whitelist.key}): ID card, PIN and IC card hashes, app-token secrets. */
    String WHITELIST = "whitelist";
    /** The visitor key ({@code etc/gatehouse-visitor.key}): pass code hashes, visitors' ID card hashes. */
    String VISITOR = "visitor";
    /** The audit key ({@code etc/gatehouse-audit.key}): HMAC of the audit log's chain (checked inside the store). */
    String AUDIT = "audit";
    /** Followed by the keystore alias: one record per key of the template keystore (checked inside the store). */
    String TEMPLATE_PREFIX = "template:";

    /** A recorded check value; {@code keyFile} is where the key file was when it was recorded. */
    record KeyCheck(String purpose, String checkValue, String keyFile, Instant recordedAt) {
    }

    /** A value stored with a key: {@code kind} says what it is, {@code communityId} where it belongs. */
    record KeyedValue(String kind, String communityId, String value) {
    }

    /** The check value recorded for {@code purpose}, if any. */
    Optional<KeyCheck> recorded(String purpose);

    /**
     * Records {@code checkValue} for {@code purpose} unless one is recorded already (another node may have been
     * first), and returns what is recorded afterwards: callers compare it with theirs.
     */
    KeyCheck record(String purpose, String checkValue, String keyFile);

    /**
     * Values stored in this database that were made with the key of {@code purpose}, at most {@code limit}, the ones
     * a key can be tried on first; empty when nothing here needs that key. {@link #WHITELIST}: credential references of
     * app tokens that are sealed secrets ({@code totp-aesgcm:…}, kind {@code APP_TOKEN}), newest first, then keyed hashes
     * ({@code hmac-sha256:…}) of ID cards, PINs and IC cards, revoked credentials included (erased references and IC
     * card numbers still in clear are not keyed). {@link #VISITOR}: pass code hashes (kind {@code pass-code}, with the
     * community id), newest first, then visitors' ID card hashes (kind {@code id-card}).
     *
     * @throws IllegalArgumentException for another purpose (the store checks template keys and the audit key itself)
     */
    List<KeyedValue> keyedValues(String purpose, int limit);
}
