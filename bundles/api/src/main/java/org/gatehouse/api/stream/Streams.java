package org.gatehouse.api.stream;

import java.util.Set;

/**
 * The platform's named streams. Routes in any bundle, and integrators' route files in {@code deploy/},
 * reach them as Camel endpoints {@code gatehouse:passages}, {@code gatehouse:population-changes} and
 * {@code gatehouse:alerts} (and {@code gatehouse:credential-changes}). Bodies are JSON strings of the api records; the header
 * {@link #HEADER_EVENT_ID} carries the stable event id (consumers must be idempotent: delivery is at
 * least once) and {@link #HEADER_COMMUNITY_ID} the community.
 */
public final class Streams {
    public static final String PASSAGES = "passages";
    public static final String POPULATION_CHANGES = "population-changes";
    public static final String ALERTS = "alerts";
    /**
     * Credentials issued or revoked, faces deleted after a consent was withdrawn: device adapters follow
     * it to add or delete credentials and templates on the terminals.
     */
    public static final String CREDENTIAL_CHANGES = "credential-changes";
    public static final Set<String> ALL = Set.of(PASSAGES, POPULATION_CHANGES, ALERTS, CREDENTIAL_CHANGES);

    /** Camel component scheme of the streams. */
    public static final String SCHEME = "gatehouse";

    public static final String HEADER_EVENT_ID = "GatehouseEventId";
    public static final String HEADER_COMMUNITY_ID = "GatehouseCommunityId";
    public static final String HEADER_STREAM = "GatehouseStream";

    private Streams() {
    }

    public static String uri(String stream) {
        return SCHEME + ":" + stream;
    }
}
