package org.gatehouse.store.internal.repo;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hashes of the audit chain. {@code hash = HMAC-SHA256(audit key, encoding of previous_hash, at, actor, action,
 * community_id, subject_id, detail)} where every field is UTF-8 prefixed with its byte length as a 4-byte big-endian
 * int (-1 for null) after a format tag, and {@code at} is ISO-8601 UTC with exactly six fractional digits. The first
 * entry chains to {@link #GENESIS}. Chains written before V007 used SHA-256 without a key ({@link #sha256}).
 */
public final class AuditHashes {
    public static final String GENESIS = "0".repeat(64);
    /** The unkeyed SHA-256 chain of V002..V006. */
    static final String FORMAT_V1 = "gatehouse.audit.v1";
    /** The HMAC-SHA256 chain. */
    static final String FORMAT = "gatehouse.audit.v2";
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private AuditHashes() {
    }

    /** HMAC-SHA256 under the audit key (lower-case hex) of the canonical, length-prefixed encoding of an entry. */
    public static String hmac(byte[] key, String previousHash, Instant at, String actor, String action,
                              String communityId, String subjectId, String detail) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(encode(FORMAT, previousHash, at, actor, action, communityId,
                    subjectId, detail)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing", e);
        }
    }

    /** The unkeyed SHA-256 (lower-case hex) of chains written before V007: verified once before re-chaining. */
    public static String sha256(String previousHash, Instant at, String actor, String action, String communityId,
                                String subjectId, String detail) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encode(FORMAT_V1,
                    previousHash, at, actor, action, communityId, subjectId, detail)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** Each field UTF-8, prefixed with its byte length as a 4-byte big-endian int, -1 for null. */
    private static byte[] encode(String format, String previousHash, Instant at, String actor, String action,
                                 String communityId, String subjectId, String detail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : new String[] {format, previousHash, AT.format(at), actor, action, communityId, subjectId,
                detail}) {
            if (field == null) {
                out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
            } else {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }
}
