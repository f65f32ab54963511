package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;

import org.apache.cayenne.exp.Expression;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.Acknowledgement;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Json;
import org.gatehouse.store.internal.model.AlertRow;
import org.gatehouse.store.internal.model.CommunityRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = AlertRepository.class)
public class AlertRepositoryImpl implements AlertRepository {
    private static final TypeReference<List<Acknowledgement>> ACKS = new TypeReference<>() {
    };
    private final CayenneStore store;

    @Activate
    public AlertRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    /** Stores the alert and appends it to the alerts outbox in one commit; an id already stored returns the stored alert. */
    @Override
    public Alert raise(Alert alert) {
        Validation.require(alert, "alert");
        Alert stored = new Alert(alert.id(), alert.communityId(), alert.type(), alert.severity(), alert.status(),
                alert.subjectId(), alert.message(), micros(alert.raisedAt()), alert.acknowledgements().stream()
                .map(a -> new Acknowledgement(a.by(), micros(a.at()), a.note())).toList());
        return store.write(context -> {
            AlertRow existing = select(AlertRow.class, eq("id", stored.id())).selectFirst(context);
            if (existing != null) {
                return alert(existing);
            }
            if (find(context, CommunityRow.class, stored.communityId(), Scope.all(), "id").isEmpty()) {
                throw new NotFoundException("community", stored.communityId());
            }
            AlertRow row = context.newObject(AlertRow.class);
            row.set("id", stored.id()).set("communityId", stored.communityId()).set("type", stored.type().name())
                    .set("severity", stored.severity().name()).set("status", stored.status().name())
                    .set("subjectId", stored.subjectId()).set("message", truncate(stored.message(), 2000))
                    .set("raisedAt", stored.raisedAt()).set("acknowledgements", Json.write(stored.acknowledgements()));
            context.commitChanges();
            OutboxWriter.append(store, Streams.ALERTS, stored.id(), stored.communityId(), Json.write(stored));
            return stored;
        });
    }

    @Override
    public List<Alert> alerts(Scope scope, String communityId, AlertStatus status, int limit) {
        int max = limit(limit);
        Expression where = and(inScope(scope, "communityId"),
                communityId == null ? null : eq("communityId", communityId),
                status == null ? null : eq("status", status.name()));
        return store.read(context -> select(AlertRow.class, where)
                .orderBy(new Ordering("raisedAt", SortOrder.DESCENDING), new Ordering("id", SortOrder.ASCENDING))
                .limit(max).select(context).stream().map(AlertRepositoryImpl::alert).toList());
    }

    @Override
    public Optional<Alert> alert(Scope scope, String id) {
        return store.read(context -> find(context, AlertRow.class, id, scope).map(AlertRepositoryImpl::alert));
    }

    @Override
    public Alert acknowledge(Scope scope, String id, Acknowledgement acknowledgement, AlertStatus newStatus) {
        Validation.require(acknowledgement, "acknowledgement");
        Validation.require(newStatus, "newStatus");
        Acknowledgement ack = new Acknowledgement(acknowledgement.by(), micros(acknowledgement.at()),
                acknowledgement.note());
        return store.write(context -> {
            AlertRow row = require(context, AlertRow.class, id, scope, "alert");
            List<Acknowledgement> acks = new ArrayList<>(Json.read(row.str("acknowledgements"), ACKS));
            acks.add(ack);
            row.set("acknowledgements", Json.write(acks)).set("status", newStatus.name());
            context.commitChanges();
            return alert(row);
        });
    }

    static Alert alert(AlertRow row) {
        return new Alert(row.str("id"), row.str("communityId"), enumValue(AlertType.class, row.str("type")),
                enumValue(AlertSeverity.class, row.str("severity")), enumValue(AlertStatus.class, row.str("status")),
                row.str("subjectId"), row.str("message"), row.instant("raisedAt"),
                Json.read(row.str("acknowledgements"), ACKS));
    }
}
