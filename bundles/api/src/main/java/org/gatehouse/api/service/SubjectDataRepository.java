package org.gatehouse.api.service;

import java.util.List;

import org.gatehouse.api.model.PassageEvent;

/** What the store holds about one person beyond their own rows, for subject access and erasure. */
public interface SubjectDataRepository {
    /** Every stored passage of the subject (a resident or visitor id), oldest first. */
    List<PassageEvent> passagesOf(Scope scope, String subjectId);

    /** Removes the subject's id from their passages (the passage stays, as nobody's); returns how many. */
    int anonymisePassages(Scope scope, String subjectId);

    /**
     * Erases a resident (also one already removed) in one transaction under the resident's row lock: face templates
     * deleted, every active credential revoked ({@code REVOKED} each and {@code FACE_DELETED}, in the outbox of the
     * same transaction), every credential's reference (keyed hashes, sealed secrets, template ids) overwritten,
     * passages anonymised, the welfare alerts about the person deleted (with what the visits found),
     * {@code MOVE_OUT} appended and the row marked removed if it was not, the CSV fields of the import rows that
     * created or name the resident cleared (also in a job that has not ended:
     * {@link org.gatehouse.api.model.ImportRow#fields()} null, the row's outcome kept), and the personal
     * fields of the resident row overwritten (name, phone, birth date, lease window, care flags). The resident id
     * stays as the pseudonym of the legal trail (consents, audit log, revoked credentials).
     */
    ResidentErasure eraseResident(Scope scope, String residentId);

    /** @param removedNow the resident was not removed before (a {@code MOVE_OUT} was appended) */
    record ResidentErasure(String residentId, String communityId, int templatesDeleted, int credentialsRevoked,
                           int passagesAnonymised, boolean removedNow) {
    }
}
