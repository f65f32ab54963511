package org.gatehouse.api.service;

import java.time.Instant;
import java.util.List;

/**
 * Face templates (embeddings, never photos), encrypted at rest by the store with AES-GCM under a key
 * from the keystore in {@code etc/}; each row names the key that sealed it, so keys can be rotated.
 */
public interface FaceTemplateRepository {
    /** Stores a template of {@code subjectId} (a resident or visitor id) made by model {@code modelId}. */
    StoredTemplate save(Scope scope, String communityId, String subjectId, String modelId, float[] vector);

    /** The templates of a community made by a model, decrypted, for loading a gallery. */
    List<StoredTemplate> templates(Scope scope, String communityId, String modelId);

    List<StoredTemplate> templatesOf(Scope scope, String subjectId);

    void delete(Scope scope, String templateId);

    /** Deletes every template of a subject; returns how many there were. */
    int deleteBySubject(Scope scope, String subjectId);

    /** Stored templates in the scope (the live count the 100,000 filing threshold is watched on). */
    long count(Scope scope);

    /** Re-encrypts every template under the current key; returns how many rows changed key. */
    int reencryptAll();

    record StoredTemplate(String id, String communityId, String subjectId, String modelId, float[] vector,
                          Instant createdAt) {
    }
}
