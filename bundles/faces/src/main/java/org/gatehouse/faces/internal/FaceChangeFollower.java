package org.gatehouse.faces.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.json.ApiJson;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.faces.api.FaceRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code gatehouse:credential-changes}: a {@code FACE_DELETED} (faces ended: consent withdrawn, move-out,
 * erasure) or the {@code REVOKED} of a FACE credential makes this node's gallery take the subject's templates from
 * the store again ({@link FaceRegistry#refresh}), so a face deleted through another node stops matching here too,
 * not only after a restart. Refreshing from the store (rather than blindly removing) makes a late or repeated event
 * harmless. A refresh that fails (database down) fails the delivery, which the outbox relay repeats.
 */
@Component(service = RoutesBuilder.class)
public class FaceChangeFollower extends RouteBuilder {
    static final String ROUTE_ID = "gatehouse-faces-credential-changes";
    private static final Logger LOG = LoggerFactory.getLogger(FaceChangeFollower.class);
    private static final ObjectMapper JSON = ApiJson.lenient();

    private final FaceRegistry registry;

    @Activate
    public FaceChangeFollower(@Reference FaceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void configure() {
        from(Streams.uri(Streams.CREDENTIAL_CHANGES))
                .routeId(ROUTE_ID)
                .routeDescription("Face registry: this node's gallery forgets faces deleted anywhere")
                .process(exchange -> handle(exchange.getIn().getBody(String.class)));
    }

    /** Handles one credential change (JSON of the api record); returns whether the gallery was refreshed. */
    boolean handle(String json) {
        JsonNode event;
        try {
            event = JSON.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            // never block the stream on a payload this module cannot read: the store writes well-formed ones
            LOG.warn("Unreadable credential change skipped by the face registry: {}", e.getOriginalMessage());
            return false;
        }
        if (event == null || !event.isObject()) {
            return false;
        }
        String change = text(event, "change");
        boolean faceEnded = CredentialChange.Change.FACE_DELETED.name().equals(change)
                || (CredentialChange.Change.REVOKED.name().equals(change)
                && CredentialKind.FACE.name().equals(text(event, "kind")));
        String communityId = text(event, "communityId");
        String residentId = text(event, "residentId");
        if (!faceEnded || communityId == null || residentId == null) {
            return false;
        }
        registry.refresh(Scope.all(), communityId, residentId);
        LOG.debug("Gallery of community {} refreshed for {} after {}", communityId, residentId, change);
        return true;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
