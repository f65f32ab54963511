package org.gatehouse.api.service;

import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.Consent;

/** Consent records (知情同意). Withdrawing keeps the record with its withdrawal time. */
public interface ConsentRepository {
    Consent give(Scope scope, String residentId, String purpose, String noticeVersion, String channel,
                 String recordedBy);

    /**
     * Withdraws a consent (again: the record unchanged), under the resident's row lock. When it is a
     * {@link Consent#PURPOSE_FACE_ACCESS} consent and no other one of the resident stays in force, the resident's
     * faces end in the same transaction, exactly as {@link CredentialRepository#endFaces} with {@code always}:
     * an enrollment can therefore never save a template after the withdrawal committed.
     */
    Withdrawal withdrawConsent(Scope scope, String consentId);

    /** {@link #withdrawConsent}, the record only. */
    default Consent withdraw(Scope scope, String consentId) {
        return withdrawConsent(scope, consentId).consent();
    }

    List<Consent> consents(Scope scope, String residentId);

    /** The consent in force for a purpose, if any. */
    default Optional<Consent> inForce(Scope scope, String residentId, String purpose) {
        return consents(scope, residentId).stream()
                .filter(c -> c.isInForce() && c.purpose().equals(purpose))
                .findFirst();
    }

    /** @param facesEnded what ended with the last face-access consent; null when no faces were ended */
    record Withdrawal(Consent consent, CredentialRepository.FacesEnded facesEnded) {
    }
}
