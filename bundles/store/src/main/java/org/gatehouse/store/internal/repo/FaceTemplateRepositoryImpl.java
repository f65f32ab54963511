package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.cayenne.ObjectContext;
import org.apache.cayenne.exp.Expression;
import org.apache.cayenne.exp.ExpressionFactory;
import org.apache.cayenne.query.ObjectSelect;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.FaceTemplateRepository;
import org.gatehouse.api.service.PreconditionFailedException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.TemplateKeys;
import org.gatehouse.store.internal.TemplateUnreadableException;
import org.gatehouse.store.internal.model.ConsentRow;
import org.gatehouse.store.internal.model.CredentialRow;
import org.gatehouse.store.internal.model.FaceTemplateRow;
import org.gatehouse.store.internal.model.ResidentRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Face templates sealed with AES-256-GCM ({@link TemplateKeys}): the vector (float32, little-endian) is the
 * plaintext; the AAD binds it to its row (id, community, subject, model), so a ciphertext copied into another
 * row does not open. Rows name the key that sealed them; {@link #reencryptAll()} moves them to the current key.
 * <p>
 * A resident's face is saved by {@link #saveResidentFace} together with its FACE credential, under the resident's
 * row lock, with the consent re-checked in that transaction; a template and the FACE credential naming it are
 * deleted/revoked together ({@link #delete}, {@link #deleteBySubject}, {@code CredentialRepository.revoke}).
 */
@Component(service = FaceTemplateRepository.class)
public class FaceTemplateRepositoryImpl implements FaceTemplateRepository {
    /** Largest accepted embedding (common models use 128 to 1024). */
    public static final int MAX_DIMENSION = 8192;
    /** Rows re-sealed per transaction by {@link #reencryptAll()}. */
    static final int REENCRYPT_BATCH = 200;
    private static final byte[] AAD_CONTEXT = "gatehouse.face-template.v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PHOTO_CONTEXT = "gatehouse.terminal-photo.v1".getBytes(StandardCharsets.UTF_8);
    /** Largest terminal photo kept (terminals take up to 200 KB). */
    public static final int MAX_PHOTO_BYTES = 200_000;
    private static final Logger LOG = LoggerFactory.getLogger(FaceTemplateRepositoryImpl.class);

    private final CayenneStore store;
    private final TemplateKeys keys;

    @Activate
    public FaceTemplateRepositoryImpl(@Reference CayenneStore store, @Reference TemplateKeys keys) {
        this.store = store;
        this.keys = keys;
    }

    @Override
    public StoredTemplate save(Scope scope, String communityId, String subjectId, String modelId, float[] vector) {
        Validation.requireText(communityId, "communityId");
        text(subjectId, "subjectId", 128);
        text(modelId, "modelId", 128);
        byte[] plaintext = encode(vector);
        scope(scope).check(communityId);
        String id = newId();
        TemplateKeys.Sealed sealed = keys.seal(plaintext, aad(id, communityId, subjectId, modelId));
        Arrays.fill(plaintext, (byte) 0);
        return store.write(context -> {
            requireCommunity(context, scope, communityId);
            FaceTemplateRow row = context.newObject(FaceTemplateRow.class);
            row.set("id", id).set("communityId", communityId).set("subjectId", subjectId).set("modelId", modelId)
                    .set("dimension", vector.length).set("keyId", sealed.keyId()).set("iv", sealed.iv())
                    .set("ciphertext", sealed.ciphertext()).set("createdAt", now());
            context.commitChanges();
            return new StoredTemplate(id, communityId, subjectId, modelId, vector.clone(), row.instant("createdAt"));
        });
    }

    @Override
    public ResidentFace saveResidentFace(Scope scope, String residentId, String modelId, float[] vector,
                                         String consentPurpose) {
        return saveResidentFace(scope, residentId, modelId, vector, consentPurpose, null);
    }

    @Override
    public ResidentFace saveResidentFace(Scope scope, String residentId, String modelId, float[] vector,
                                         String consentPurpose, byte[] terminalPhoto) {
        if (terminalPhoto != null && (terminalPhoto.length == 0 || terminalPhoto.length > MAX_PHOTO_BYTES)) {
            throw new IllegalArgumentException("terminalPhoto must have 1 to " + MAX_PHOTO_BYTES + " bytes");
        }
        text(residentId, "residentId", 128);
        text(modelId, "modelId", 128);
        text(consentPurpose, "consentPurpose", 64);
        byte[] plaintext = encode(vector);
        scope(scope);
        String id = newId();
        try {
            return store.write(context -> {
                // the resident's row lock first: a consent withdrawal (which takes it too) is either committed
                // before this point, and seen below, or waits until this transaction ends and then deletes the face
                ResidentRow resident = Residents.lock(store, context, residentId, scope);
                String communityId = resident.str("communityId");
                if (select(ConsentRow.class, and(eq("residentId", residentId), eq("purpose", consentPurpose),
                        eq("withdrawnAt", null))).selectFirst(context) == null) {
                    throw new PreconditionFailedException(PreconditionFailedException.Reason.CONSENT_NOT_IN_FORCE,
                            "no '" + consentPurpose + "' consent of resident '" + residentId + "' is in force");
                }
                if (select(CredentialRow.class, and(eq("residentId", residentId), eq("revokedAt", null),
                        ExpressionFactory.noMatchExp("kind", CredentialKind.FACE.name()))).selectFirst(context) == null) {
                    throw new PreconditionFailedException(PreconditionFailedException.Reason.NO_NON_FACE_CREDENTIAL,
                            "resident '" + residentId + "' has no active credential other than a face");
                }
                TemplateKeys.Sealed sealed = keys.seal(plaintext, aad(id, communityId, residentId, modelId));
                FaceTemplateRow row = context.newObject(FaceTemplateRow.class);
                row.set("id", id).set("communityId", communityId).set("subjectId", residentId).set("modelId", modelId)
                        .set("dimension", vector.length).set("keyId", sealed.keyId()).set("iv", sealed.iv())
                        .set("ciphertext", sealed.ciphertext()).set("createdAt", now());
                if (terminalPhoto != null) {
                    sealPhoto(row, sealed.keyId(), terminalPhoto);
                }
                Credential credential = CredentialRepositoryImpl.insert(context, communityId, residentId,
                        CredentialKind.FACE, id);
                context.commitChanges();
                CredentialEvents.append(store, credential, CredentialChange.Change.ISSUED);
                return new ResidentFace(new StoredTemplate(id, communityId, residentId, modelId, vector.clone(),
                        row.instant("createdAt")), credential);
            });
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public Optional<TerminalPhoto> terminalPhoto(String residentId) {
        Validation.requireText(residentId, "residentId");
        return store.read(context -> Optional.ofNullable(ObjectSelect.query(FaceTemplateRow.class)
                .where(and(eq("subjectId", residentId), ExpressionFactory.noMatchExp("photoCiphertext", null)))
                .orderBy(new Ordering("createdAt", SortOrder.DESCENDING), new Ordering("id", SortOrder.DESCENDING))
                .selectFirst(context))
                .map(row -> new TerminalPhoto(row.str("id"), openPhoto(row, row.str("keyId")))));
    }

    /** Seals {@code jpeg} into the row's photo columns under {@code keyId}, bound to the row as the vector is. */
    private void sealPhoto(FaceTemplateRow row, String keyId, byte[] jpeg) {
        TemplateKeys.Sealed sealed = keys.sealWith(keyId, jpeg, photoAad(row));
        row.set("photoIv", sealed.iv()).set("photoCiphertext", sealed.ciphertext());
    }

    private byte[] openPhoto(FaceTemplateRow row, String keyId) {
        try {
            return keys.open(keyId, (byte[]) row.readProperty("photoIv"), (byte[]) row.readProperty("photoCiphertext"),
                    photoAad(row));
        } catch (org.gatehouse.api.keys.KeyRefusedException | org.gatehouse.api.service.StoreUnavailableException e) {
            throw e;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TemplateUnreadableException(row.str("id"), "the terminal photo of face template '"
                    + row.str("id") + "' cannot be decrypted with key '" + keyId + "'", e);
        }
    }

    private static byte[] photoAad(FaceTemplateRow row) {
        return aad(PHOTO_CONTEXT, row.str("id"), row.str("communityId"), row.str("subjectId"), row.str("modelId"));
    }

    @Override
    public List<StoredTemplate> templates(Scope scope, String communityId, String modelId) {
        Validation.requireText(communityId, "communityId");
        Validation.requireText(modelId, "modelId");
        return store.read(context -> {
            requireCommunity(context, scope, communityId);
            return ordered(select(FaceTemplateRow.class, and(eq("communityId", communityId), eq("modelId", modelId))))
                    .select(context).stream().map(this::template).toList();
        });
    }

    @Override
    public List<StoredTemplate> templatesOf(Scope scope, String subjectId) {
        Validation.requireText(subjectId, "subjectId");
        Expression where = and(inScope(scope, "communityId"), eq("subjectId", subjectId));
        return store.read(context -> ordered(select(FaceTemplateRow.class, where)).select(context).stream()
                .map(this::template).toList());
    }

    @Override
    public void delete(Scope scope, String templateId) {
        store.write(context -> {
            FaceTemplateRow row = require(context, FaceTemplateRow.class, templateId, scope, "face template");
            context.deleteObject(row);
            revokeFaceCredentials(store, context, row.str("communityId"), List.of(templateId));
            return null;
        });
    }

    @Override
    public int deleteBySubject(Scope scope, String subjectId) {
        Validation.requireText(subjectId, "subjectId");
        Expression where = and(inScope(scope, "communityId"), eq("subjectId", subjectId));
        return store.write(context -> {
            List<FaceTemplateRow> rows = select(FaceTemplateRow.class, where).select(context);
            if (rows.isEmpty()) {
                return 0;
            }
            context.deleteObjects(rows);
            for (FaceTemplateRow row : rows) {
                revokeFaceCredentials(store, context, row.str("communityId"), List.of(row.str("id")));
            }
            context.commitChanges();
            return rows.size();
        });
    }

    /**
     * In the caller's transaction: revokes the active FACE credentials naming these templates, flushes (with whatever
     * else the context holds, e.g. the deleted templates) and appends REVOKED for each.
     */
    static List<Credential> revokeFaceCredentials(CayenneStore store, ObjectContext context, String communityId,
                                                  List<String> templateIds) {
        List<CredentialRow> rows = select(CredentialRow.class, and(eq("communityId", communityId),
                eq("kind", CredentialKind.FACE.name()), ExpressionFactory.inExp("activeReference", templateIds)))
                .select(context);
        java.time.Instant at = now();
        for (CredentialRow row : rows) {
            row.set("revokedAt", at).set("activeReference", null);
        }
        context.commitChanges();
        List<Credential> revoked = new ArrayList<>();
        for (CredentialRow row : rows) {
            Credential credential = CredentialRepositoryImpl.credential(row);
            CredentialEvents.append(store, credential, CredentialChange.Change.REVOKED);
            revoked.add(credential);
        }
        return revoked;
    }

    @Override
    public long count(Scope scope) {
        Expression where = inScope(scope, "communityId");
        return store.read(context -> select(FaceTemplateRow.class, where).selectCount(context));
    }

    /**
     * Re-seals, batch by batch (one transaction each), every row not sealed with the current key. Rows done stay
     * done if a later batch fails, so a failed run can simply be repeated; a row that cannot be decrypted stops
     * the run with a {@link TemplateUnreadableException} naming it (delete it and enrol the subject again).
     */
    @Override
    public int reencryptAll() {
        int changed = 0;
        while (true) {
            String current = keys.currentKeyId();
            int done = store.write(context -> {
                List<FaceTemplateRow> batch = ObjectSelect.query(FaceTemplateRow.class)
                        .where(ExpressionFactory.noMatchExp("keyId", current))
                        .orderBy(new Ordering("id", SortOrder.ASCENDING)).limit(REENCRYPT_BATCH).select(context);
                for (FaceTemplateRow row : batch) {
                    byte[] plaintext = open(row);
                    byte[] photo = row.readProperty("photoCiphertext") == null ? null : openPhoto(row, row.str("keyId"));
                    String id = row.str("id");
                    TemplateKeys.Sealed sealed = keys.seal(plaintext, aad(id, row.str("communityId"),
                            row.str("subjectId"), row.str("modelId")));
                    Arrays.fill(plaintext, (byte) 0);
                    row.set("keyId", sealed.keyId()).set("iv", sealed.iv()).set("ciphertext", sealed.ciphertext());
                    if (photo != null) {
                        sealPhoto(row, sealed.keyId(), photo);
                    }
                }
                context.commitChanges();
                return batch.size();
            });
            changed += done;
            if (done < REENCRYPT_BATCH) {
                break;
            }
        }
        if (changed > 0) {
            LOG.info("re-encrypted {} face templates under {}", changed, keys.currentKeyId());
        }
        return changed;
    }

    // ---------------------------------------------------------------- helpers

    private static ObjectSelect<FaceTemplateRow> ordered(ObjectSelect<FaceTemplateRow> query) {
        return query.orderBy(new Ordering("createdAt", SortOrder.ASCENDING), new Ordering("id", SortOrder.ASCENDING));
    }

    private StoredTemplate template(FaceTemplateRow row) {
        byte[] plaintext = open(row);
        float[] vector = decode(plaintext);
        Arrays.fill(plaintext, (byte) 0);
        return new StoredTemplate(row.str("id"), row.str("communityId"), row.str("subjectId"), row.str("modelId"),
                vector, row.instant("createdAt"));
    }

    /** The row's plaintext, or a TemplateUnreadableException naming the row: never garbage. */
    private byte[] open(FaceTemplateRow row) {
        String id = row.str("id");
        String keyId = row.str("keyId");
        byte[] plaintext;
        try {
            plaintext = keys.open(keyId, (byte[]) row.readProperty("iv"), (byte[]) row.readProperty("ciphertext"),
                    aad(id, row.str("communityId"), row.str("subjectId"), row.str("modelId")));
        } catch (org.gatehouse.api.keys.KeyRefusedException | org.gatehouse.api.service.StoreUnavailableException e) {
            throw e; // the keystore itself is refused, or cannot be checked yet: not this row's fault
        } catch (GeneralSecurityException | RuntimeException e) {
            String why = keys.has(keyId) ? "the ciphertext, IV or row data do not match (tampered, copied from "
                    + "another row, or sealed with a different keystore's key)" : e.getMessage();
            throw new TemplateUnreadableException(id, "face template '" + id + "' cannot be decrypted with key '"
                    + keyId + "': " + why, e);
        }
        int dimension = row.integer("dimension");
        if (plaintext.length != dimension * Float.BYTES) {
            throw new TemplateUnreadableException(id, "face template '" + id + "' decrypts to " + plaintext.length
                    + " bytes, not " + dimension + " floats", null);
        }
        return plaintext;
    }

    /** Length-prefixed (id, community, subject, model): binds a ciphertext to its row. */
    static byte[] aad(String id, String communityId, String subjectId, String modelId) {
        return aad(AAD_CONTEXT, id, communityId, subjectId, modelId);
    }

    private static byte[] aad(byte[] context, String id, String communityId, String subjectId, String modelId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] field : new byte[][] {context, utf8(id), utf8(communityId), utf8(subjectId), utf8(modelId)}) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(field.length).array());
            out.writeBytes(field);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] encode(float[] vector) {
        Validation.require(vector, "vector");
        if (vector.length == 0 || vector.length > MAX_DIMENSION) {
            throw new IllegalArgumentException("vector must have 1 to " + MAX_DIMENSION + " elements");
        }
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("vector must contain finite numbers only");
            }
            buffer.putInt(Float.floatToRawIntBits(v));
        }
        return buffer.array();
    }

    static float[] decode(byte[] plaintext) {
        ByteBuffer buffer = ByteBuffer.wrap(plaintext).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[plaintext.length / Float.BYTES];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = Float.intBitsToFloat(buffer.getInt());
        }
        return vector;
    }

    private static void text(String value, String field, int max) {
        Validation.requireText(value, field);
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters");
        }
    }
}
