package org.gatehouse.api.service;

import java.util.Optional;

/**
 * The ID card number of a resident in clear, for the few consumers of the {@code population-changes} stream that are
 * configured to receive it (a police registry). The whitelist keeps an ID number only sealed (encrypted with its
 * key) beside the keyed hash gates look it up by; this service opens it. Callers audit every number they pass on.
 */
public interface IdNumbers {
    /**
     * The number of the resident's newest ID card credential (active or revoked, so a resident who moved out still
     * has one), if one was issued with its sealed copy and the key opens it.
     */
    Optional<String> idNumber(String residentId);
}
