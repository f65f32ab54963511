package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.apache.cayenne.ObjectContext;
import org.apache.cayenne.exp.ExpressionFactory;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Errors;
import org.gatehouse.store.internal.model.CredentialRow;
import org.gatehouse.store.internal.model.FaceTemplateRow;
import org.gatehouse.store.internal.model.ResidentRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials. At most one ACTIVE credential per (community, kind, reference): the unique constraint
 * {@code uq_credential_active} on (community_id, kind, active_reference) enforces it in the database
 * (active_reference = reference while active, null once revoked; see V003), so two issues racing on
 * different nodes cannot both win. The check before the insert only gives the usual case a clear message.
 * <p>
 * Every issue and every end of a credential writes its {@code credential-changes} event into the outbox in the
 * same transaction ({@link CredentialEvents}), after the change is flushed.
 */
@Component(service = CredentialRepository.class)
public class CredentialRepositoryImpl implements CredentialRepository {
    static final int MAX_REFERENCE = 500;
    /** Rows read per query by {@link #rewriteReferences}. */
    static final int REWRITE_BATCH = 200;
    private static final Logger LOG = LoggerFactory.getLogger(CredentialRepositoryImpl.class);

    private final CayenneStore store;

    @Activate
    public CredentialRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    @Override
    public Credential issue(Scope scope, String residentId, CredentialKind kind, String reference,
                            String sealedValue) {
        scope(scope);
        Validation.requireText(residentId, "residentId");
        Validation.require(kind, "kind");
        Validation.requireText(reference, "reference");
        if (reference.length() > MAX_REFERENCE) {
            throw new IllegalArgumentException("reference is longer than " + MAX_REFERENCE + " characters");
        }
        if (sealedValue != null && sealedValue.length() > MAX_REFERENCE) {
            throw new IllegalArgumentException("sealedValue is longer than " + MAX_REFERENCE + " characters");
        }
        try {
            return store.write(context -> {
                ResidentRow resident = Residents.lock(store, context, residentId, scope);
                String communityId = resident.str("communityId");
                if (activeRow(context, communityId, kind, reference).isPresent()) {
                    throw duplicate(kind, communityId);
                }
                Credential credential = insert(context, communityId, residentId, kind, reference, sealedValue);
                context.commitChanges();
                CredentialEvents.append(store, credential, CredentialChange.Change.ISSUED);
                return credential;
            });
        } catch (ConflictException e) {
            // uq_credential_active: another transaction issued the same reference between our check and insert
            if (e.getMessage() != null && e.getMessage().toLowerCase().contains("uq_credential_active")) {
                throw duplicate(kind, null);
            }
            throw e;
        }
    }

    /** A new active credential row in the caller's context (not flushed). */
    static Credential insert(ObjectContext context, String communityId, String residentId, CredentialKind kind,
                             String reference) {
        return insert(context, communityId, residentId, kind, reference, null);
    }

    /** As above, with the sealed copy of the secret (or null). */
    static Credential insert(ObjectContext context, String communityId, String residentId, CredentialKind kind,
                             String reference, String sealedValue) {
        Credential credential = new Credential(newId(), communityId, residentId, kind, reference, now(), null);
        CredentialRow row = context.newObject(CredentialRow.class);
        row.set("id", credential.id()).set("communityId", communityId).set("residentId", residentId)
                .set("kind", kind.name()).set("reference", reference).set("activeReference", reference)
                .set("issuedAt", credential.issuedAt()).set("revokedAt", null).set("sealedValue", sealedValue);
        return credential;
    }

    private static ConflictException duplicate(CredentialKind kind, String communityId) {
        return new ConflictException("an active " + kind + " credential with this reference already exists"
                + (communityId == null ? "" : " in community '" + communityId + "'"));
    }

    @Override
    public List<Credential> credentials(Scope scope, String residentId) {
        scope(scope);
        return store.read(context -> {
            // a removed resident's (revoked) credentials stay readable: the history of who could enter
            RepositoryQueries.find(context, ResidentRow.class, residentId, scope)
                    .orElseThrow(() -> new NotFoundException("resident", residentId));
            return select(CredentialRow.class, and(inScope(scope, "communityId"), eq("residentId", residentId)))
                    .orderBy(new Ordering("issuedAt", SortOrder.ASCENDING), new Ordering("id", SortOrder.ASCENDING))
                    .select(context).stream().map(CredentialRepositoryImpl::credential).toList();
        });
    }

    /**
     * One grouped count over the credentials of the community ({@code uq_credential_active} starts with
     * {@code community_id, kind}), after a look-up of the community in scope, on one connection.
     */
    @Override
    public Map<String, Integer> activeFaceCounts(Scope scope, String communityId) {
        scope(scope);
        if (communityId == null || communityId.isBlank() || !scope.allows(communityId)) {
            throw new NotFoundException("community", String.valueOf(communityId));
        }
        return store.query(connection -> {
            try (PreparedStatement community = connection.prepareStatement("select id from community where id = ?")) {
                community.setString(1, communityId);
                try (ResultSet rs = community.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("community", communityId);
                    }
                }
            }
            Map<String, Integer> counts = new HashMap<>();
            try (PreparedStatement count = connection.prepareStatement("select resident_id, count(*) from credential "
                    + "where community_id = ? and kind = ? and revoked_at is null group by resident_id")) {
                count.setString(1, communityId);
                count.setString(2, CredentialKind.FACE.name());
                try (ResultSet rs = count.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            return Map.copyOf(counts);
        });
    }

    @Override
    public Optional<Credential> credential(Scope scope, String credentialId) {
        scope(scope);
        if (credentialId == null || credentialId.isBlank()) {
            return Optional.empty();
        }
        return store.read(context -> RepositoryQueries.find(context, CredentialRow.class, credentialId, scope)
                .map(CredentialRepositoryImpl::credential));
    }

    @Override
    public Optional<String> sealedValue(String residentId, CredentialKind kind) {
        if (residentId == null || residentId.isBlank() || kind == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(store.read(context -> select(CredentialRow.class, and(eq("residentId", residentId),
                eq("kind", kind.name()), ExpressionFactory.noMatchExp("sealedValue", null)))
                .orderBy(new Ordering("issuedAt", SortOrder.DESCENDING), new Ordering("id", SortOrder.DESCENDING))
                .selectFirst(context))).map(row -> row.str("sealedValue"));
    }

    @Override
    public Optional<Credential> active(Scope scope, String communityId, CredentialKind kind, String reference) {
        scope(scope);
        if (communityId == null || kind == null || reference == null || !scope.allows(communityId)) {
            return Optional.empty();
        }
        return store.read(context -> activeRow(context, communityId, kind, reference)
                .map(CredentialRepositoryImpl::credential));
    }

    @Override
    public Credential revoke(Scope scope, String credentialId) {
        return store.write(context -> {
            CredentialRow row = require(context, CredentialRow.class, credentialId, scope, "credential");
            if (row.readProperty("revokedAt") == null) {
                row.set("revokedAt", now()).set("activeReference", null);
                if (CredentialKind.FACE.name().equals(row.str("kind"))) {
                    // a FACE credential and the template it names end together
                    select(FaceTemplateRow.class, and(eq("communityId", row.str("communityId")),
                            eq("id", row.str("reference")))).select(context).forEach(context::deleteObject);
                }
                context.commitChanges();
                CredentialEvents.append(store, credential(row), CredentialChange.Change.REVOKED);
            }
            return credential(row);
        });
    }

    @Override
    public FacesEnded endFaces(Scope scope, String residentId, boolean always) {
        scope(scope);
        return store.write(context -> {
            ResidentRow resident = Residents.lockAny(store, context, residentId, scope);
            return endFaces(store, context, resident, always);
        });
    }

    /**
     * Ends a resident's faces in the caller's transaction (the resident row locked by the caller): deletes their face
     * templates, revokes their active FACE credentials, flushes, then appends REVOKED for each and FACE_DELETED when
     * anything was there (or {@code always}).
     */
    static FacesEnded endFaces(CayenneStore store, ObjectContext context, ResidentRow resident, boolean always) {
        String communityId = resident.str("communityId");
        String residentId = resident.str("id");
        List<FaceTemplateRow> templates = select(FaceTemplateRow.class, and(eq("communityId", communityId),
                eq("subjectId", residentId))).select(context);
        context.deleteObjects(templates);
        List<CredentialRow> faces = select(CredentialRow.class, and(eq("residentId", residentId),
                eq("kind", CredentialKind.FACE.name()), eq("revokedAt", null)))
                .orderBy(new Ordering("issuedAt", SortOrder.ASCENDING), new Ordering("id", SortOrder.ASCENDING))
                .select(context);
        Instant at = now();
        for (CredentialRow row : faces) {
            row.set("revokedAt", at).set("activeReference", null);
        }
        context.commitChanges();
        List<Credential> revoked = new ArrayList<>();
        for (CredentialRow row : faces) {
            Credential credential = credential(row);
            CredentialEvents.append(store, credential, CredentialChange.Change.REVOKED);
            revoked.add(credential);
        }
        if (always || !templates.isEmpty() || !faces.isEmpty()) {
            CredentialEvents.faceDeleted(store, communityId, residentId);
        }
        return new FacesEnded(communityId, residentId, templates.size(), revoked);
    }

    @Override
    public int rewriteReferences(CredentialKind kind, String keepPrefix, UnaryOperator<String> rewrite) {
        Validation.require(kind, "kind");
        Validation.requireText(keepPrefix, "keepPrefix");
        Validation.require(rewrite, "rewrite");
        String pattern = keepPrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        int changed = 0;
        String after = "";
        while (true) {
            String cursor = after;
            // (id, reference) of the next rows still to rewrite, in id order: every row is visited once
            List<String[]> batch = store.read(context -> select(CredentialRow.class, and(eq("kind", kind.name()),
                    ExpressionFactory.notLikeExp("reference", pattern, '!'),
                    ExpressionFactory.greaterExp("id", cursor)))
                    .orderBy(new Ordering("id", SortOrder.ASCENDING)).limit(REWRITE_BATCH).select(context).stream()
                    .map(row -> new String[] {row.str("id"), row.str("reference")}).toList());
            for (String[] row : batch) {
                String replacement = rewrite.apply(row[1]);
                if (replacement == null || !replacement.startsWith(keepPrefix)
                        || replacement.length() > MAX_REFERENCE) {
                    LOG.warn("{} credential {}: no usable new reference, left as it is", kind, row[0]);
                    continue;
                }
                try {
                    changed += store.write(context -> rewrite(row[0], row[1], replacement));
                } catch (ConflictException e) {
                    LOG.warn("{} credential {} left as it is: an active credential already has its new reference",
                            kind, row[0]);
                }
            }
            if (batch.size() < REWRITE_BATCH) {
                return changed;
            }
            after = batch.get(batch.size() - 1)[0];
        }
    }

    /** One row, only if it still holds the old reference (another node may have rewritten it meanwhile). */
    private int rewrite(String id, String old, String replacement) {
        try (PreparedStatement update = store.transactionConnection().prepareStatement(
                "update credential set reference = ?, active_reference = case when revoked_at is null then ? "
                        + "else null end where id = ? and reference = ?")) {
            update.setString(1, replacement);
            update.setString(2, replacement);
            update.setString(3, id);
            update.setString(4, old);
            return update.executeUpdate();
        } catch (SQLException e) {
            throw Errors.translate(e);
        }
    }

    static Optional<CredentialRow> activeRow(ObjectContext context, String communityId, CredentialKind kind,
                                                     String reference) {
        return Optional.ofNullable(select(CredentialRow.class, and(eq("communityId", communityId),
                eq("kind", kind.name()), eq("activeReference", reference))).selectFirst(context));
    }

    /**
     * Revokes every active credential of a resident in the caller's transaction, flushes, and appends REVOKED for
     * each; returns them.
     */
    static List<Credential> revokeAll(CayenneStore store, ObjectContext context, String residentId, Instant at) {
        List<CredentialRow> active = select(CredentialRow.class,
                and(eq("residentId", residentId), eq("revokedAt", null)))
                .orderBy(new Ordering("issuedAt", SortOrder.ASCENDING), new Ordering("id", SortOrder.ASCENDING))
                .select(context);
        for (CredentialRow row : active) {
            row.set("revokedAt", at).set("activeReference", null);
        }
        context.commitChanges();
        List<Credential> revoked = new ArrayList<>();
        for (CredentialRow row : active) {
            Credential credential = credential(row);
            CredentialEvents.append(store, credential, CredentialChange.Change.REVOKED);
            revoked.add(credential);
        }
        return revoked;
    }

    static Credential credential(CredentialRow row) {
        return new Credential(row.str("id"), row.str("communityId"), row.str("residentId"),
                enumValue(CredentialKind.class, row.str("kind")), row.str("reference"), row.instant("issuedAt"),
                row.instant("revokedAt"));
    }
}
