package org.gatehouse.core.internal.camel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.gatehouse.api.service.OutboxRepository.OutboxEntry;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.internal.Json;

/**
 * One audit row per outcome of an event at a consumer whose route sent it out of the platform (retries are not rows
 * of their own): who (the route), the subject the event is about, where it went, after how many attempts and which
 * personal fields it carried — an ID number given out is always on record.
 */
final class DeliveryAudit {
    static final String DELIVERED = "integration.delivered";
    static final String DEAD_LETTER = "integration.dead-letter";
    /** The target refused and the route's own error handling took it. */
    static final String REFUSED = "integration.refused";

    private final AuditTrail trail;

    DeliveryAudit(AuditTrail trail) {
        this.trail = trail;
    }

    void outcome(StreamConsumer consumer, OutboxEntry entry, String action, Delivery delivery,
                 PersonFields.Shaped shaped, int attempts, String error) {
        if (delivery.sentTo().isEmpty() && !shaped.personFields().contains(PersonFields.ID_NUMBER)) {
            return; // stayed inside the platform (an ID number handed to any route is on record all the same)
        }
        StringBuilder detail = new StringBuilder("stream ").append(entry.stream()).append(", event ")
                .append(entry.eventId()).append(" -> ")
                .append(delivery.sentTo().isEmpty() ? "(no endpoint outside the platform)"
                        : String.join(", ", delivery.sentTo()));
        if (attempts > 1) {
            detail.append(", attempt ").append(attempts);
        }
        if (!shaped.personFields().isEmpty()) {
            detail.append(", person fields ").append(String.join(",", shaped.personFields()));
        }
        if (error != null) {
            detail.append(": ").append(error);
        }
        trail.recordQuietly("route:" + consumer.getRouteId(), action, entry.communityId(), subjectOf(entry),
                detail.toString());
    }

    /** The resident, visitor or other subject an event is about (its residentId or subjectId), or null. */
    static String subjectOf(OutboxEntry entry) {
        try {
            JsonNode event = Json.mapper().readTree(entry.payloadJson());
            JsonNode subject = event.hasNonNull("residentId") ? event.get("residentId") : event.get("subjectId");
            return subject == null || subject.isNull() ? null : subject.asText();
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
