package org.gatehouse.api.stream;

import java.util.Map;
import java.util.Set;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.PopulationChange;

/**
 * The platform's named streams. Routes in any bundle, and integrators' route files in {@code deploy/},
 * reach them as Camel endpoints {@code gatehouse:passages}, {@code gatehouse:population-changes} and
 * {@code gatehouse:alerts} (and {@code gatehouse:credential-changes}). Bodies are JSON strings of the api records; the header
 * {@link #HEADER_EVENT_ID} carries the stable event id (consumers must be idempotent: delivery is at
 * least once), {@link #HEADER_COMMUNITY_ID} the community and {@link #HEADER_STREAM} the stream's name. Which record
 * each stream carries: {@link #EVENT_TYPES}; the schemas are in {@code /api/openapi.json}, the page is
 * {@code docs/events.md}.
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
    /**
     * The record each stream's events are the JSON of ({@code ApiJson}), by stream name: the one place that says so.
     * The OpenAPI document's event schemas and {@code docs/events.md} follow it.
     */
    public static final Map<String, Class<? extends Record>> EVENT_TYPES = Map.of(
            PASSAGES, PassageEvent.class,
            POPULATION_CHANGES, PopulationChange.class,
            ALERTS, Alert.class,
            CREDENTIAL_CHANGES, CredentialChange.class);
    public static final Set<String> ALL = EVENT_TYPES.keySet();

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
