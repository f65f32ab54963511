package org.gatehouse.whitelist.internal;

import java.util.List;

import org.gatehouse.api.model.Consent;
import org.gatehouse.core.api.Caller;

/**
 * Informed consent (知情同意) of residents: recorded, read (audited), withdrawn — withdrawing face access ends the
 * resident's faces in the withdrawal's transaction (templates deleted, face credentials revoked, terminals told).
 */
public interface Consents {
    /** The outcome of withdrawing a consent. */
    record Withdrawal(Consent consent, int templatesDeleted, List<String> revokedCredentials) {
    }

    List<Consent> consents(Caller c, String residentId);

    /** Records a consent; the same purpose and notice version already in force: that one. */
    Consent giveConsent(Caller c, String residentId, String purpose, String noticeVersion, String channel);

    /**
     * Withdraws a consent; for face access (and no other face consent left) the store ends the faces in the same
     * transaction (templates deleted, face credentials revoked, REVOKED and FACE_DELETED written), then this node's
     * gallery forgets them.
     */
    Withdrawal withdrawConsent(Caller c, String consentId);
}
