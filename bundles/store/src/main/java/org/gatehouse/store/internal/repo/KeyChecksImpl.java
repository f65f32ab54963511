package org.gatehouse.store.internal.repo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.KeyChecks;
import org.gatehouse.store.internal.CayenneStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code key_check} table (V007) and the look-ups the key guards need: which data in the database was made
 * with which key. Plain JDBC on a connection of its own ({@link CayenneStore#withConnection}), so a check made on
 * first use inside another transaction commits on its own.
 */
@Component(service = {KeyChecks.class, KeyChecksImpl.class})
public class KeyChecksImpl implements KeyChecks {
    /** The whitelist's formats of keyed references (its SecretKeys): sealed app-token secrets and keyed hashes. */
    static final String WHITELIST_SEALED = "totp-aesgcm:";
    static final String WHITELIST_HASHED = "hmac-sha256:";

    /** What the template keystore's guard needs: recorded check values and the rows per key id. */
    public record TemplateKeyUse(Map<String, KeyCheck> recorded, Map<String, Long> rows) {
    }

    /** A sealed template with the AAD it was sealed with: what a candidate key is tried on. */
    public record SealedSample(String id, byte[] iv, byte[] ciphertext, byte[] aad) {
    }

    private final CayenneStore store;

    @Activate
    public KeyChecksImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    @Override
    public Optional<KeyCheck> recorded(String purpose) {
        Validation.requireText(purpose, "purpose");
        return store.withConnection(c -> read(c, purpose));
    }

    @Override
    public KeyCheck record(String purpose, String checkValue, String keyFile) {
        Validation.requireText(purpose, "purpose");
        Validation.requireText(checkValue, "checkValue");
        if (purpose.length() > 200 || checkValue.length() > 100) {
            throw new IllegalArgumentException("purpose (200) or checkValue (100) too long");
        }
        String file = keyFile == null ? null : keyFile.length() > 1000 ? keyFile.substring(0, 1000) : keyFile;
        return store.withConnection(c -> {
            try (PreparedStatement insert = c.prepareStatement("insert into key_check (purpose, check_value, key_file, "
                    + "recorded_at) values (?, ?, ?, ?) on conflict do nothing")) {
                insert.setString(1, purpose);
                insert.setString(2, checkValue);
                insert.setString(3, file);
                insert.setObject(4, OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS),
                        ZoneOffset.UTC));
                insert.executeUpdate();
            }
            return read(c, purpose).orElseThrow(() -> new IllegalStateException("key check '" + purpose
                    + "' not readable after recording it"));
        });
    }

    @Override
    public List<KeyedValue> keyedValues(String purpose, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000");
        }
        if (WHITELIST.equals(purpose)) {
            return store.withConnection(c -> {
                List<KeyedValue> values = new ArrayList<>();
                query(c, values, "select kind, community_id, reference from credential where kind = 'APP_TOKEN' and "
                        + "reference like ? order by issued_at desc, id limit ?", WHITELIST_SEALED + "%", limit);
                if (values.size() < limit) {
                    query(c, values, "select kind, community_id, reference from credential where kind in ('ID_CARD', "
                                    + "'PIN', 'CARD') and reference like ? order by issued_at desc, id limit ?",
                            WHITELIST_HASHED + "%", limit - values.size());
                }
                return List.copyOf(values);
            });
        }
        if (VISITOR.equals(purpose)) {
            return store.withConnection(c -> {
                List<KeyedValue> values = new ArrayList<>();
                query(c, values, "select 'pass-code', community_id, code from visitor_pass "
                        + "order by valid_from desc, id limit ?", limit);
                if (values.size() < limit) {
                    query(c, values, "select 'id-card', community_id, id_card_hash from visitor where id_card_hash is "
                            + "not null order by created_at desc, id limit ?", limit - values.size());
                }
                return List.copyOf(values);
            });
        }
        throw new IllegalArgumentException("no keyed values are listed for '" + purpose + "'");
    }

    /** Recorded template key checks (by alias) and face_template rows per key id. */
    public TemplateKeyUse templateKeyUse() {
        return store.withConnection(c -> {
            Map<String, KeyCheck> recorded = new LinkedHashMap<>();
            try (PreparedStatement st = c.prepareStatement("select purpose, check_value, key_file, recorded_at from "
                    + "key_check where purpose like ? order by purpose")) {
                st.setString(1, TEMPLATE_PREFIX + "%");
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        KeyCheck check = check(rs);
                        recorded.put(check.purpose().substring(TEMPLATE_PREFIX.length()), check);
                    }
                }
            }
            Map<String, Long> rows = new LinkedHashMap<>();
            try (PreparedStatement st = c.prepareStatement("select key_id, count(*) from face_template group by key_id "
                    + "order by key_id"); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getLong(2));
                }
            }
            return new TemplateKeyUse(recorded, rows);
        });
    }

    /** Up to {@code limit} templates sealed with {@code keyId}, newest first, with their AAD. */
    public List<SealedSample> templateSamples(String keyId, int limit) {
        return store.withConnection(c -> {
            List<SealedSample> samples = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("select id, community_id, subject_id, model_id, iv, ciphertext "
                    + "from face_template where key_id = ? order by created_at desc, id limit ?")) {
                st.setString(1, keyId);
                st.setInt(2, limit);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        samples.add(new SealedSample(rs.getString(1), rs.getBytes(5), rs.getBytes(6),
                                FaceTemplateRepositoryImpl.aad(rs.getString(1), rs.getString(2), rs.getString(3),
                                        rs.getString(4))));
                    }
                }
            }
            return samples;
        });
    }

    private static void query(Connection c, List<KeyedValue> into, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    into.add(new KeyedValue(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
    }

    private static Optional<KeyCheck> read(Connection c, String purpose) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "select purpose, check_value, key_file, recorded_at from key_check where purpose = ?")) {
            st.setString(1, purpose);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(check(rs)) : Optional.empty();
            }
        }
    }

    private static KeyCheck check(ResultSet rs) throws SQLException {
        OffsetDateTime at = rs.getObject(4, OffsetDateTime.class);
        return new KeyCheck(rs.getString(1), rs.getString(2), rs.getString(3), at == null ? null : at.toInstant());
    }
}
