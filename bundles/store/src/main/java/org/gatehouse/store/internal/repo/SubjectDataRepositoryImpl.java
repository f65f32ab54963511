package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.Support.*;

import java.util.List;

import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.SubjectDataRepository;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Json;
import org.gatehouse.store.internal.model.OutboxRow;
import org.gatehouse.store.internal.model.PassageRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Subject access and erasure for passages. Anonymising clears {@code passage.subject_id} and rewrites the
 * passage's {@code passages} outbox payload (published or not) without the subject id, in one transaction.
 */
@Component(service = SubjectDataRepository.class)
public class SubjectDataRepositoryImpl implements SubjectDataRepository {
    private final CayenneStore store;

    @Activate
    public SubjectDataRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    @Override
    public List<PassageEvent> passagesOf(Scope scope, String subjectId) {
        scope(scope);
        Validation.requireText(subjectId, "subjectId");
        return store.read(context -> select(PassageRow.class, and(inScope(scope, "communityId"),
                eq("subjectId", subjectId)))
                .orderBy(new Ordering("occurredAt", SortOrder.ASCENDING), new Ordering("id", SortOrder.ASCENDING))
                .select(context).stream().map(PassageRepositoryImpl::passage).toList());
    }

    @Override
    public int anonymisePassages(Scope scope, String subjectId) {
        scope(scope);
        Validation.requireText(subjectId, "subjectId");
        return store.write(context -> {
            List<PassageRow> rows = select(PassageRow.class, and(inScope(scope, "communityId"),
                    eq("subjectId", subjectId))).select(context);
            for (PassageRow row : rows) {
                row.set("subjectId", null);
                PassageEvent anonymous = PassageRepositoryImpl.passage(row);
                OutboxRow outboxRow = select(OutboxRow.class, and(eq("stream", Streams.PASSAGES),
                        eq("eventId", row.str("id")))).selectFirst(context);
                if (outboxRow != null) {
                    outboxRow.set("payload", Json.write(anonymous));
                }
            }
            context.commitChanges();
            return rows.size();
        });
    }
}
