package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.util.List;

import org.apache.cayenne.ObjectContext;
import org.apache.cayenne.query.ObjectSelect;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.OutboxRepository;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.model.OutboxRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = OutboxRepository.class)
public class OutboxRepositoryImpl implements OutboxRepository {
    private final CayenneStore store;

    @Activate
    public OutboxRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    @Override
    public void append(String stream, String eventId, String communityId, String payloadJson) {
        Validation.requireText(stream, "stream");
        Validation.requireText(eventId, "eventId");
        Validation.requireText(payloadJson, "payloadJson");
        store.write(context -> {
            OutboxWriter.append(store, stream, eventId, communityId, payloadJson);
            return null;
        });
    }

    @Override
    public List<OutboxEntry> pending(int limit) {
        int max = limit(limit);
        return store.read(context -> select(OutboxRow.class, eq("publishedAt", null))
                .orderBy(new Ordering("sequence", SortOrder.ASCENDING)).limit(max).select(context).stream()
                .map(OutboxRepositoryImpl::entry).toList());
    }

    @Override
    public void markPublished(long sequence) {
        store.write(context -> {
            OutboxRow row = row(context, sequence);
            if (row.readProperty("publishedAt") == null) {
                row.set("publishedAt", now());
                context.commitChanges();
            }
            return null;
        });
    }


    @Override
    public long pendingCount() {
        return store.read(context -> select(OutboxRow.class, eq("publishedAt", null)).selectCount(context));
    }

    private static OutboxRow row(ObjectContext context, long sequence) {
        OutboxRow row = ObjectSelect.query(OutboxRow.class).where(eq("sequence", sequence)).selectOne(context);
        if (row == null) {
            throw new NotFoundException("outbox entry", Long.toString(sequence));
        }
        return row;
    }

    static OutboxEntry entry(OutboxRow row) {
        return new OutboxEntry(((Number) row.readProperty("sequence")).longValue(), row.str("stream"),
                row.str("eventId"), row.str("communityId"), row.str("payload"), row.instant("createdAt"),
                row.integer("attempts"));
    }
}
