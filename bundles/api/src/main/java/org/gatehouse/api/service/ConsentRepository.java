package org.gatehouse.api.service;

import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.Consent;

/** Consent records (知情同意). Withdrawing keeps the record with its withdrawal time. */
public interface ConsentRepository {
    Consent give(Scope scope, String residentId, String purpose, String noticeVersion, String channel,
                 String recordedBy);

    Consent withdraw(Scope scope, String consentId);

    List<Consent> consents(Scope scope, String residentId);

    /** The consent in force for a purpose, if any. */
    default Optional<Consent> inForce(Scope scope, String residentId, String purpose) {
        return consents(scope, residentId).stream()
                .filter(c -> c.isInForce() && c.purpose().equals(purpose))
                .findFirst();
    }
}
