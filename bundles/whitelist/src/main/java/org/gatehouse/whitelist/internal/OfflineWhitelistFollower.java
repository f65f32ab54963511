package org.gatehouse.whitelist.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.json.ApiJson;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.stream.Streams;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's {@link OfflineWhitelist} copy current: every {@code gatehouse:credential-changes} event about a
 * card, ID card or PIN (issued, revoked — a move-out revokes every credential, so it arrives as those) and every
 * {@code gatehouse:population-changes} event (move-in, move-out, a lease or flat changed) makes the copy read that
 * resident again from the store ({@link OfflineWhitelist#refresh}); events of communities it does not hold cost a map
 * look-up. A refresh that fails (database down) fails the delivery, which the outbox relay repeats.
 */
@Component(service = RoutesBuilder.class)
public class OfflineWhitelistFollower extends RouteBuilder {
    static final String CREDENTIALS_ROUTE = "gatehouse-whitelist-offline-credentials";
    static final String POPULATION_ROUTE = "gatehouse-whitelist-offline-population";
    private static final Logger LOG = LoggerFactory.getLogger(OfflineWhitelistFollower.class);
    private static final ObjectMapper JSON = ApiJson.lenient();

    private final OfflineWhitelist copy;

    @Activate
    public OfflineWhitelistFollower(@Reference OfflineWhitelist copy) {
        this.copy = copy;
    }

    @Override
    public void configure() {
        from(Streams.uri(Streams.CREDENTIAL_CHANGES)).routeId(CREDENTIALS_ROUTE)
                .routeDescription("Whitelist: this node's offline copy follows cards, ID cards and PINs")
                .process(exchange -> credentialChange(exchange.getIn().getBody(String.class)));
        from(Streams.uri(Streams.POPULATION_CHANGES)).routeId(POPULATION_ROUTE)
                .routeDescription("Whitelist: this node's offline copy follows move-ins, move-outs and leases")
                .process(exchange -> populationChange(exchange.getIn().getBody(String.class)));
    }

    /** One credential change (JSON of the api record); returns whether the copy read the resident again. */
    boolean credentialChange(String json) {
        JsonNode event = read(json);
        if (event == null || CredentialChange.Change.FACE_DELETED.name().equals(text(event, "change"))
                || CredentialKind.FACE.name().equals(text(event, "kind"))
                || CredentialKind.APP_TOKEN.name().equals(text(event, "kind"))) {
            return false; // not kept in the copy
        }
        return copy.refresh(text(event, "communityId"), text(event, "residentId"));
    }

    /** One population change (JSON of the api record); returns whether the copy read the resident again. */
    boolean populationChange(String json) {
        JsonNode event = read(json);
        return event != null && copy.refresh(text(event, "communityId"), text(event, "residentId"));
    }

    private static JsonNode read(String json) {
        try {
            JsonNode event = JSON.readTree(json == null ? "" : json);
            return event != null && event.isObject() ? event : null;
        } catch (JsonProcessingException e) {
            // never block the stream on a payload this module cannot read: the store writes well-formed ones
            LOG.warn("Unreadable event skipped by the offline whitelist copy: {}", e.getOriginalMessage());
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
