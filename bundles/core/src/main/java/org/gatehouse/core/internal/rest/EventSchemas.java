package org.gatehouse.core.internal.rest;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gatehouse.api.stream.Streams;

/**
 * The streams' events in the OpenAPI document: each event record's schema in {@code components.schemas} (from
 * {@link Streams#EVENT_TYPES}, so a field added to a record appears by itself) and the extension
 * {@value #EXTENSION}: per stream its Camel URI, what it carries, who publishes it, the {@code $ref} of its event,
 * the message headers and the delivery semantics. The page for people is {@code docs/events.md}.
 */
final class EventSchemas {
    static final String EXTENSION = "x-gatehouse-streams";

    /** What each stream carries and who writes it; a stream missing here still gets its schema and headers. */
    private static final Map<String, String[]> ABOUT = Map.of(
            Streams.PASSAGES, new String[]{
                    "Every passage stored: who passed which device, when, which way, with which credential, and the "
                            + "verdict (ALLOW or DENY) with its reasons and scores.",
                    "the core (POST /api/passages, and the passage journal once the database is back)"},
            Streams.POPULATION_CHANGES, new String[]{
                    "Changes of the registered population: a resident moved in (MOVE_IN), moved out or was removed "
                            + "(MOVE_OUT), or changed role, household or lease window (OCCUPANCY_CHANGE).",
                    "the store, with the resident change that causes it (whitelist module: residents, imports; "
                            + "privacy module: erasure)"},
            Streams.ALERTS, new String[]{
                    "Alerts raised for a person to look at (one event when the alert is raised); and a visitor "
                            + "waiting for the host household (VISITOR_WAITING, with the visit and the residents to "
                            + "tell) and the end of that wait (VISITOR_WAITING_CLOSED).",
                    "the modules that raise alerts: whitelist and visitor (CODE_GUESSING), privacy "
                            + "(FACE_TEMPLATE_QUOTA); the store with a visitor registration that waits and with the "
                            + "decision that ends the wait (visitor module); the other types are reserved for "
                            + "modules to come"},
            Streams.CREDENTIAL_CHANGES, new String[]{
                    "Credentials issued or revoked, and every face template of a resident deleted (FACE_DELETED, "
                            + "consent withdrawn): terminals must add or delete their copies.",
                    "the store, with the credential change that causes it (whitelist, faces, privacy modules)"});

    private EventSchemas() {
    }

    static void addTo(ObjectNode doc, ObjectNode schemas) {
        ObjectNode streams = doc.putObject(EXTENSION);
        for (Map.Entry<String, Class<? extends Record>> e : new TreeMap<>(Streams.EVENT_TYPES).entrySet()) {
            String stream = e.getKey();
            ObjectNode s = streams.putObject(stream);
            s.put("uri", Streams.uri(stream));
            String[] about = ABOUT.getOrDefault(stream, new String[]{"", ""});
            s.put("description", about[0]);
            s.put("publishedBy", about[1]);
            s.put("contentType", "application/json");
            s.set("event", OpenApiDocument.ref(e.getValue(), schemas));
            headers(s.putArray("headers"));
            delivery(s.putObject("delivery"));
            s.put("documentation", "docs/events.md");
        }
    }

    private static void headers(ArrayNode headers) {
        header(headers, Streams.HEADER_EVENT_ID, "The event's stable id, the same as the body's id; the same on every "
                + "delivery of the event: drop an id already handled (delivery is at least once).");
        header(headers, Streams.HEADER_COMMUNITY_ID, "Id of the community the event belongs to (the body's "
                + "communityId).");
        header(headers, Streams.HEADER_STREAM, "The stream's name, e.g. " + Streams.PASSAGES + ".");
    }

    private static void header(ArrayNode headers, String name, String description) {
        ObjectNode h = headers.addObject();
        h.put("name", name).put("required", true).put("description", description);
        h.putObject("schema").put("type", "string");
    }

    private static void delivery(ObjectNode d) {
        d.put("guarantee", "at-least-once");
        d.put("idempotencyKey", Streams.HEADER_EVENT_ID);
        d.put("order", "per consumer (a route, <stream>/<route id>), in the order the events were written");
        d.put("startAt", "endpoint option ?startAt=now (default: events written after the route started), oldest "
                + "(the oldest event retention keeps) or an ISO-8601 instant; only for a consumer the store does "
                + "not know yet, a known one goes on from its stored position");
        d.put("retry", "a failed delivery is retried to that consumer alone with exponential back-off "
                + "(retryInitialMillis, doubling up to retryMaxMillis; etc/org.gatehouse.core.outbox.cfg)");
        d.put("deadLetters", "after maxAttempts failed attempts the event becomes one of the consumer's dead "
                + "letters and the consumer goes on with the next event");
        d.put("monitoring", "gatehouse:status and GET /api/health (details) show each consumer's lag, failed "
                + "attempts, next attempt, last success and error, and open dead letters");
    }
}
