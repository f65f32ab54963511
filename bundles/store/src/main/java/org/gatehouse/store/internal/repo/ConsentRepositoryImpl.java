package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.apache.cayenne.ObjectContext;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.ConsentRepository;
import org.gatehouse.api.service.CredentialRepository.FacesEnded;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Errors;
import org.gatehouse.store.internal.model.ConsentRow;
import org.gatehouse.store.internal.model.ResidentRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Consent records. Never deleted (also not when the resident is removed): they are the legal trail.
 * Withdrawal sets {@code withdrawn_at} once, under the resident's row lock; withdrawing the last face-access consent
 * in force ends the resident's faces in the same transaction.
 */
@Component(service = ConsentRepository.class)
public class ConsentRepositoryImpl implements ConsentRepository {
    private final CayenneStore store;

    @Activate
    public ConsentRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    @Override
    public Consent give(Scope scope, String residentId, String purpose, String noticeVersion, String channel,
                        String recordedBy) {
        scope(scope);
        Validation.requireText(residentId, "residentId");
        check(purpose, noticeVersion, channel, recordedBy);
        return store.write(context -> {
            ResidentRow resident = Residents.lock(store, context, residentId, scope);
            Consent consent = insert(context, resident.str("communityId"), residentId, purpose, noticeVersion,
                    channel, recordedBy);
            context.commitChanges();
            return consent;
        });
    }

    /** Checks the consent's texts ({@link IllegalArgumentException} naming the field). */
    static void check(String purpose, String noticeVersion, String channel, String recordedBy) {
        text(purpose, "purpose", 64);
        text(noticeVersion, "noticeVersion", 64);
        text(channel, "channel", 64);
        text(recordedBy, "recordedBy", 200);
    }

    /** A new consent row in the caller's context (not flushed), given now. */
    static Consent insert(ObjectContext context, String communityId, String residentId, String purpose,
                          String noticeVersion, String channel, String recordedBy) {
        Consent consent = new Consent(newId(), communityId, residentId, purpose, noticeVersion, channel, now(), null,
                recordedBy);
        ConsentRow row = context.newObject(ConsentRow.class);
        row.set("id", consent.id()).set("communityId", consent.communityId()).set("residentId", residentId)
                .set("purpose", purpose).set("noticeVersion", noticeVersion).set("channel", channel)
                .set("givenAt", consent.givenAt()).set("withdrawnAt", null).set("recordedBy", recordedBy);
        return consent;
    }

    private static void text(String value, String field, int max) {
        Validation.requireText(value, field);
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters");
        }
    }

    @Override
    public Withdrawal withdrawConsent(Scope scope, String consentId) {
        scope(scope);
        // also for a removed resident: withdrawing is the person's right and keeps the trail accurate
        return store.write(context -> {
            // the resident's row lock first (serialises with face enrollment), then the consent as it is now
            String residentId = residentOf(consentId);
            if (residentId == null) {
                throw new NotFoundException("consent", consentId);
            }
            ResidentRow resident;
            try {
                resident = Residents.lockAny(store, context, residentId, scope);
            } catch (NotFoundException e) {
                throw new NotFoundException("consent", consentId); // out of scope: like a missing id
            }
            ConsentRow row = require(context, ConsentRow.class, consentId, scope, "consent");
            if (row.readProperty("withdrawnAt") == null) {
                row.set("withdrawnAt", now());
                context.commitChanges();
            }
            FacesEnded ended = null;
            if (Consent.PURPOSE_FACE_ACCESS.equals(row.str("purpose")) && select(ConsentRow.class, and(
                    eq("residentId", residentId), eq("purpose", Consent.PURPOSE_FACE_ACCESS),
                    eq("withdrawnAt", null))).selectFirst(context) == null) {
                ended = CredentialRepositoryImpl.endFaces(store, context, resident, true);
            }
            return new Withdrawal(consent(row), ended);
        });
    }

    /** The resident of a consent, read on the transaction's connection, or null when there is no such consent. */
    private String residentOf(String consentId) {
        if (consentId == null || consentId.isBlank()) {
            return null;
        }
        try (PreparedStatement query = store.transactionConnection().prepareStatement(
                "select resident_id from consent where id = ?")) {
            query.setString(1, consentId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw Errors.translate(e);
        }
    }

    @Override
    public List<Consent> consents(Scope scope, String residentId) {
        scope(scope);
        return store.read(context -> {
            // a removed resident's consents stay readable (legal trail)
            RepositoryQueries.find(context, ResidentRow.class, residentId, scope)
                    .orElseThrow(() -> new NotFoundException("resident", residentId));
            return select(ConsentRow.class, and(inScope(scope, "communityId"), eq("residentId", residentId)))
                    .orderBy(new Ordering("givenAt", SortOrder.ASCENDING), new Ordering("id", SortOrder.ASCENDING))
                    .select(context).stream().map(ConsentRepositoryImpl::consent).toList();
        });
    }

    static Consent consent(ConsentRow row) {
        return new Consent(row.str("id"), row.str("communityId"), row.str("residentId"), row.str("purpose"),
                row.str("noticeVersion"), row.str("channel"), row.instant("givenAt"), row.instant("withdrawnAt"),
                row.str("recordedBy"));
    }
}
