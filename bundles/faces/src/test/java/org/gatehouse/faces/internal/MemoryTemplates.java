package org.gatehouse.faces.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.service.FaceTemplateRepository;
import org.gatehouse.api.service.Scope;

/** Templates kept in memory, scoped like the store's. */
public class MemoryTemplates implements FaceTemplateRepository {
    final Map<String, StoredTemplate> rows = new ConcurrentHashMap<>();
    int loads;

    @Override
    public StoredTemplate save(Scope scope, String communityId, String subjectId, String modelId, float[] vector) {
        scope.check(communityId);
        StoredTemplate t = new StoredTemplate(UUID.randomUUID().toString(), communityId, subjectId, modelId,
                vector.clone(), Instant.now());
        rows.put(t.id(), t);
        return t;
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
    public void delete(Scope scope, String templateId) {
        rows.remove(templateId);
    }

    @Override
    public int deleteBySubject(Scope scope, String subjectId) {
        List<StoredTemplate> mine = templatesOf(scope, subjectId);
        mine.forEach(t -> rows.remove(t.id()));
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
