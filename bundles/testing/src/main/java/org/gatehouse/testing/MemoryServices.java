package org.gatehouse.testing;

import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.gatehouse.api.json.ApiJson;

/**
 * Honest in-memory implementations of the api services, for modules' unit tests: they keep data, scope
 * it like the store does and refuse what the store refuses, so a test exercises a module's real rules.
 * A module's own {@code Fakes} extends this class to add its own services and reach these as members.
 * <p>
 * Each fake is a class of its own ({@link MemoryCommunities}, {@link MemoryHouseholds}, {@link MemoryCredentials},
 * {@link MemoryConsents}, {@link MemoryOutbox}, {@link MemoryKeyChecks}, {@link MemoryAuditLog}, {@link MemoryFaces},
 * {@link MemoryImportJobs}); the member classes here are the names the modules' tests know them by.
 */
public class MemoryServices {
    protected MemoryServices() {
    }

    /** JSON of the api records as the store writes it into the outbox (the store's own mapping). */
    public static final ObjectMapper JSON = ApiJson.lenient();

    public static String id() {
        return UUID.randomUUID().toString();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static class Communities extends MemoryCommunities {
    }

    public static class Households extends MemoryHouseholds {
        public Households(MemoryCommunities communities) {
            super(communities);
        }
    }

    /** {@link MemoryCredentials}. */
    public static class Credentials extends MemoryCredentials {
        public Credentials(MemoryHouseholds households) {
            super(households);
        }

        public Credentials(MemoryHouseholds households, MemoryOutbox outbox) {
            super(households, outbox);
        }
    }

    public static class Consents extends MemoryConsents {
        public Consents(MemoryHouseholds households) {
            super(households);
        }
    }

    public static class Outbox extends MemoryOutbox {
    }

    /** {@link MemoryKeyChecks}. */
    public static class KeyCheckRecords extends MemoryKeyChecks {
    }

    public static class Audits extends MemoryAuditLog {
    }

    /** {@link MemoryFaces}. */
    public static class Faces extends MemoryFaces {
    }

    /** {@link MemoryImportJobs}. */
    public static class ImportJobs extends MemoryImportJobs {
        public ImportJobs(MemoryHouseholds households, MemoryCredentials credentials, MemoryConsents consents) {
            super(households, credentials, consents);
        }
    }
}
