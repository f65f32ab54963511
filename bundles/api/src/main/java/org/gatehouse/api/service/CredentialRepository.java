package org.gatehouse.api.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;

/**
 * Residents' credentials. {@code reference} is never a secret in clear: the caller passes a keyed hash
 * for an ID card number, a PIN or an IC card number, the template id for a face.
 * <p>
 * Every change that issues or ends a credential appends its {@link org.gatehouse.api.model.CredentialChange}
 * to the {@code credential-changes} outbox <b>in the same transaction</b> as the change ({@code ISSUED},
 * {@code REVOKED}, {@code FACE_DELETED}): the event is stored if and only if the change committed, so terminals
 * are told of every revocation even if the node stops right after it.
 */
public interface CredentialRepository {
    /**
     * Issues a credential and appends {@code ISSUED}; {@link ConflictException} if an active one with the same kind
     * and reference exists in the community.
     */
    default Credential issue(Scope scope, String residentId, CredentialKind kind, String reference) {
        return issue(scope, residentId, kind, reference, null);
    }

    /**
     * As {@link #issue(Scope, String, CredentialKind, String)}, keeping {@code sealedValue} beside the reference: the
     * secret encrypted by the caller's key (an ID card's number, for the consumers configured to receive it), or null.
     */
    Credential issue(Scope scope, String residentId, CredentialKind kind, String reference, String sealedValue);

    /**
     * Platform-internal, no scope: the sealed value kept with the resident's newest credential of {@code kind} that
     * has one (active or revoked: a resident who moved out keeps theirs until erased), if any.
     */
    Optional<String> sealedValue(String residentId, CredentialKind kind);

    List<Credential> credentials(Scope scope, String residentId);

    /**
     * How many active FACE credentials (each naming one face template) each resident of a community has, in one
     * query: resident id → count, only residents with at least one (a resident not in the map has none). The
     * community must be in scope ({@link NotFoundException} otherwise).
     */
    Map<String, Integer> activeFaceCounts(Scope scope, String communityId);

    /** The credential with this id (active or revoked), if it belongs to a community in the scope. */
    Optional<Credential> credential(Scope scope, String credentialId);

    /** The active credential of a kind with this reference in a community (a gate looking up a card). */
    Optional<Credential> active(Scope scope, String communityId, CredentialKind kind, String reference);

    /**
     * Revokes (keeps the row for the audit trail) and appends {@code REVOKED}; revoking twice is harmless (no second
     * event). Revoking a FACE credential also deletes the face template it names (same transaction).
     */
    Credential revoke(Scope scope, String credentialId);

    /**
     * Ends a resident's faces in one transaction under the resident's row lock (also for a removed resident):
     * deletes every face template of the resident, revokes the active FACE credentials ({@code REVOKED} each) and
     * appends {@code FACE_DELETED} when there was anything to end, or always when {@code always} is set (a
     * withdrawn consent: be sure the terminals delete their copies).
     */
    FacesEnded endFaces(Scope scope, String residentId, boolean always);

    /**
     * Platform maintenance, no scope: gives every credential of {@code kind} (active and revoked) whose reference
     * does not start with {@code keepPrefix} the reference {@code rewrite.apply(old)} (which must start with it),
     * one row per transaction; returns how many rows changed. A row whose new reference would clash with an active
     * credential is left as it is (logged without the reference). Used to replace references stored in clear by
     * keyed hashes; running it again changes nothing.
     */
    int rewriteReferences(CredentialKind kind, String keepPrefix, UnaryOperator<String> rewrite);

    /** What {@link #endFaces} (or a consent withdrawal) ended: templates deleted and FACE credentials revoked. */
    record FacesEnded(String communityId, String residentId, int templatesDeleted, List<Credential> revoked) {
        public FacesEnded {
            revoked = revoked == null ? List.of() : List.copyOf(revoked);
        }
    }
}
