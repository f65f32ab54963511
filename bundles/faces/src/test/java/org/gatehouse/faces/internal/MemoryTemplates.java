package org.gatehouse.faces.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.service.FaceTemplateRepository;
import org.gatehouse.api.service.PreconditionFailedException;
import org.gatehouse.api.service.Scope;

/**
 * Templates kept in memory, scoped like the store's. For residents' faces it keeps the FACE credentials too and,
 * like the store, re-checks the consent ({@link #consentsInForce}) in the same synchronized step as the save, and
 * revokes the credential naming a deleted template.
 */
public class MemoryTemplates implements FaceTemplateRepository {
    final Map<String, StoredTemplate> rows = new ConcurrentHashMap<>();
    /** Residents with a face-access consent in force (what the store reads under the resident's lock). */
    final Set<String> consentsInForce = ConcurrentHashMap.newKeySet();
    final Map<String, Credential> faceCredentials = new ConcurrentHashMap<>();
    final List<String> revoked = new CopyOnWriteArrayList<>();
    int loads;

    @Override
    public StoredTemplate save(Scope scope, String communityId, String subjectId, String modelId, float[] vector) {
        scope.check(communityId);
        StoredTemplate t = new StoredTemplate(UUID.randomUUID().toString(), communityId, subjectId, modelId,
                vector.clone(), Instant.now());
        rows.put(t.id(), t);
        return t;
    }

    /** Residents live in community "c1" here. */
    @Override
    public synchronized ResidentFace saveResidentFace(Scope scope, String residentId, String modelId, float[] vector,
                                                      String consentPurpose) {
        if (!consentsInForce.contains(residentId)) {
            throw new PreconditionFailedException(PreconditionFailedException.Reason.CONSENT_NOT_IN_FORCE,
                    "no consent in force");
        }
        StoredTemplate t = save(scope, "c1", residentId, modelId, vector);
        Credential c = new Credential(UUID.randomUUID().toString(), "c1", residentId, CredentialKind.FACE, t.id(),
                Instant.now(), null);
        faceCredentials.put(t.id(), c);
        return new ResidentFace(t, c);
    }

    /** What the store does when a consent is withdrawn: consent gone, templates deleted, credentials revoked. */
    synchronized int withdraw(String residentId) {
        consentsInForce.remove(residentId);
        return deleteBySubject(Scope.all(), residentId);
    }

    @Override
    public List<StoredTemplate> templates(Scope scope, String communityId, String modelId) {
        loads++;
        return rows.values().stream().filter(t -> scope.allows(t.communityId()) && t.communityId().equals(communityId)
                && t.modelId().equals(modelId)).toList();
    }

    @Override
    public List<StoredTemplate> templatesOf(Scope scope, String subjectId) {
        return rows.values().stream().filter(t -> scope.allows(t.communityId()) && t.subjectId().equals(subjectId)).toList();
    }

    @Override
    public synchronized void delete(Scope scope, String templateId) {
        rows.remove(templateId);
        Credential c = faceCredentials.remove(templateId);
        if (c != null) {
            revoked.add(c.id());
        }
    }

    @Override
    public synchronized int deleteBySubject(Scope scope, String subjectId) {
        List<StoredTemplate> mine = templatesOf(scope, subjectId);
        mine.forEach(t -> delete(scope, t.id()));
        return mine.size();
    }

    @Override
    public long count(Scope scope) {
        return rows.values().stream().filter(t -> scope.allows(t.communityId())).count();
    }

    @Override
    public int reencryptAll() {
        return 0;
    }
}
