package org.gatehouse.integration.internal;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event as a target sends it: the feed it belongs to, its stable id (the receiver's idempotency key), its
 * community and the JSON of the fields the target sends.
 */
public record Outgoing(String feed, String eventId, String communityId, ObjectNode payload) {
    /** The exact bytes sent (and signed): compact UTF-8 JSON. */
    public byte[] body() {
        try {
            return EventFields.JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
