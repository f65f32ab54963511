package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.time.Instant;
import java.util.List;

import org.apache.cayenne.ObjectContext;
import org.apache.cayenne.exp.ExpressionFactory;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.PopulationChange;
import org.gatehouse.api.model.PopulationChangeType;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.CredentialRepository.FacesEnded;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.SubjectDataRepository;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Json;
import org.gatehouse.store.internal.model.CredentialRow;
import org.gatehouse.store.internal.model.HouseholdRow;
import org.gatehouse.store.internal.model.OutboxRow;
import org.gatehouse.store.internal.model.PassageRow;
import org.gatehouse.store.internal.model.WelfareCaseRow;
import org.gatehouse.store.internal.model.AlertRow;
import org.gatehouse.store.internal.model.ResidentRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Subject access and erasure. Anonymising clears {@code passage.subject_id} and rewrites the passage's
 * {@code passages} outbox payload (published or not) without the subject id, in one transaction. Erasing a resident
 * does that and ends their faces and credentials (with their credential changes), removes them, clears the CSV fields
 * of the import rows that created them ({@link ImportTables#eraseFieldsOf}) and overwrites the personal fields of
 * their row, all in one transaction under the resident's row lock.
 */
@Component(service = SubjectDataRepository.class)
public class SubjectDataRepositoryImpl implements SubjectDataRepository {
    /** What an erased resident's name and credential references become. */
    public static final String ERASED = "erased";

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
            int n = anonymise(context, scope, subjectId);
            context.commitChanges();
            return n;
        });
    }

    /** Clears the subject from their passages and those passages' outbox payloads, in the caller's context. */
    private static int anonymise(ObjectContext context, Scope scope, String subjectId) {
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
        return rows.size();
    }

    /**
     * Clears the person (name, role, birth date, phone) from the resident's population changes the outbox still
     * holds, so a consumer that replays or starts from the oldest event is not told who an erased person was.
     */
    private static void unname(ObjectContext context, String residentId) {
        for (OutboxRow outboxRow : select(OutboxRow.class, and(eq("stream", Streams.POPULATION_CHANGES),
                ExpressionFactory.likeExp("payload", "%\"residentId\":\"" + residentId + "\"%"))).select(context)) {
            PopulationChange change = Json.read(outboxRow.str("payload"), PopulationChange.class);
            if (residentId.equals(change.residentId()) && change.person() != null) {
                outboxRow.set("payload", Json.write(new PopulationChange(change.id(), change.communityId(),
                        change.type(), change.residentId(), change.householdId(), change.unitId(),
                        change.occurredAt(), change.detail(), null, change.flat())));
            }
        }
    }

    /**
     * The welfare alerts about the person (inactivity: who went, what they found, free text) go with their alert rows:
     * they are about the person's health, and nothing of the legal trail refers to them (the audit log keeps the
     * acknowledgement's entry by id).
     */
    private static void deleteWelfareCases(ObjectContext context, String residentId) {
        List<WelfareCaseRow> cases = select(WelfareCaseRow.class, eq("subjectId", residentId)).select(context);
        for (WelfareCaseRow welfareCase : cases) {
            AlertRow alert = select(AlertRow.class, eq("id", welfareCase.str("id"))).selectFirst(context);
            context.deleteObject(welfareCase);
            if (alert != null) {
                context.deleteObject(alert);
            }
        }
    }

    @Override
    public ResidentErasure eraseResident(Scope scope, String residentId) {
        scope(scope);
        return store.write(context -> {
            ResidentRow row = Residents.lockAny(store, context, residentId, scope);
            String communityId = row.str("communityId");
            boolean present = Residents.present(row);
            // faces and credentials end first, each REVOKED / FACE_DELETED written in this transaction
            FacesEnded faces = CredentialRepositoryImpl.endFaces(store, context, row, true);
            Instant at = now();
            int revoked = faces.revoked().size() + CredentialRepositoryImpl.revokeAll(store, context, residentId, at)
                    .size();
            // what stays of the credentials is who could enter when: no keyed hash, sealed secret or template id
            for (CredentialRow credential : select(CredentialRow.class, eq("residentId", residentId)).select(context)) {
                credential.set("reference", ERASED).set("sealedValue", null);
            }
            int passages = anonymise(context, scope, residentId);
            unname(context, residentId);
            deleteWelfareCases(context, residentId);
            if (present) {
                Resident resident = HouseholdRepositoryImpl.resident(row);
                HouseholdRow household = require(context, HouseholdRow.class, resident.householdId(), Scope.all(),
                        "household");
                // the person asked to be erased: the move-out names the flat, not them
                HouseholdRepositoryImpl.population(store, context, PopulationChangeType.MOVE_OUT, resident,
                        household.str("unitId"), HouseholdRepositoryImpl.removedDetail(revoked), null);
                row.set("removedAt", at);
            }
            // an import that has not ended still holds the CSV row that named the person
            ImportTables.eraseFieldsOf(store.transactionConnection(), communityId, residentId);
            // the row stays (consents, revoked credentials and the audit log refer to its id), the person does not
            row.set("name", ERASED).set("phone", null).set("birthDate", null).set("careFlags", "")
                    .set("validFrom", null).set("validUntil", null);
            context.commitChanges();
            return new ResidentErasure(residentId, communityId, faces.templatesDeleted(), revoked, passages, present);
        });
    }
}
