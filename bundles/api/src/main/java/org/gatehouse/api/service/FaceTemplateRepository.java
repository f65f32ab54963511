package org.gatehouse.api.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.Credential;

/**
 * Face templates (embeddings), encrypted at rest by the store with AES-GCM under a key from the keystore in
 * {@code etc/}; each row names the key that sealed it, so keys can be rotated. The one photo kept is the small face
 * photo of a resident of a community whose terminals match faces themselves ({@link TerminalFaceDemand}): sealed in
 * the template's row with the same key, and deleted with it.
 */
public interface FaceTemplateRepository {
    /** Stores a template of {@code subjectId} (a resident or visitor id) made by model {@code modelId}. */
    StoredTemplate save(Scope scope, String communityId, String subjectId, String modelId, float[] vector);

    /**
     * A resident's face enrollment, in one transaction under the resident's row lock: re-checks that the resident
     * exists in the scope and is not removed ({@link NotFoundException}), that a consent for {@code consentPurpose}
     * is in force and that the resident has an active non-face credential ({@link PreconditionFailedException},
     * nothing written); then stores the template, issues the FACE credential whose reference is the template id and
     * appends its {@code ISSUED} credential change. Any failure rolls all of it back.
     */
    ResidentFace saveResidentFace(Scope scope, String residentId, String modelId, float[] vector, String consentPurpose);

    /**
     * As {@link #saveResidentFace(Scope, String, String, float[], String)}, keeping {@code terminalPhoto} (a small
     * JPEG of the face, or {@code null} for none) sealed in the template's row, in the same transaction: the
     * {@code ISSUED} change is only seen once the photo is there, and the photo goes when the template goes.
     */
    default ResidentFace saveResidentFace(Scope scope, String residentId, String modelId, float[] vector,
                                          String consentPurpose, byte[] terminalPhoto) {
        if (terminalPhoto != null) {
            throw new UnsupportedOperationException("this store keeps no terminal photos");
        }
        return saveResidentFace(scope, residentId, modelId, vector, consentPurpose);
    }

    /**
     * Platform-internal, no scope (for a terminal's whitelist sync): the face photo kept with the resident's newest
     * template that has one, opened; empty when none is kept (no face, or enrolled before its terminals asked).
     */
    default Optional<TerminalPhoto> terminalPhoto(String residentId) {
        return Optional.empty();
    }

    /** The templates of a community made by a model, decrypted, for loading a gallery. */
    List<StoredTemplate> templates(Scope scope, String communityId, String modelId);

    List<StoredTemplate> templatesOf(Scope scope, String subjectId);

    /** Deletes a template; an active FACE credential naming it is revoked in the same transaction ({@code REVOKED}). */
    void delete(Scope scope, String templateId);

    /**
     * Deletes every template of a subject; returns how many there were. Active FACE credentials naming them are
     * revoked in the same transaction ({@code REVOKED} each).
     */
    int deleteBySubject(Scope scope, String subjectId);

    /** Stored templates in the scope (the live count the 100,000 filing threshold is watched on). */
    long count(Scope scope);

    /** Re-encrypts every template under the current key; returns how many rows changed key. */
    int reencryptAll();

    /** A resident's face photo for a terminal; {@code templateId} names the template it was kept with. */
    record TerminalPhoto(String templateId, byte[] jpeg) {
    }

    record StoredTemplate(String id, String communityId, String subjectId, String modelId, float[] vector,
                          Instant createdAt) {
    }

    /** A resident's stored template and the FACE credential that names it. */
    record ResidentFace(StoredTemplate template, Credential credential) {
    }
}
