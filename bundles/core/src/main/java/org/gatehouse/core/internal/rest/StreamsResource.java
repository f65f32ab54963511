package org.gatehouse.core.internal.rest;

import org.gatehouse.api.service.StreamConsumers.DeadLetter;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.core.internal.camel.StreamAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The streams' consumers and their dead letters, for city administrators: list, replay (hand the event to the
 * consumer again now) and skip (give up on it, with a reason); both audited ({@link StreamAdmin}).
 */
@Component(service = RestResource.class)
public class StreamsResource implements RestResource {
    /** Why a dead letter is skipped. */
    public record Skip(String reason) {
    }

    private final StreamAdmin admin;

    @Activate
    public StreamsResource(@Reference StreamAdmin admin) {
        this.admin = admin;
    }

    @Override
    public String tag() {
        return "streams";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/streams/consumers", Roles.ADMIN, "Each consumer of the gatehouse: streams: live, position, lag, "
                        + "failed attempts, next attempt, last success and error, open dead letters, start note",
                StreamAdmin.ConsumerReport[].class, r -> admin.consumers());
        routes.get("/streams/dead-letters", Roles.ADMIN, "Dead letters, newest first (consumer, status OPEN or ALL, "
                        + "limit 1-1000, default 100)", DeadLetter[].class,
                r -> admin.deadLetters(r.query("consumer").orElse(null), all(r), r.queryInt("limit", 100, 1, 1000)));
        routes.post("/streams/dead-letters/{id}/replay", Roles.ADMIN, "Hands a dead letter's event to its consumer "
                        + "again now: REPLAYED when taken; 502 REPLAY_FAILED (stays open) when not; 409 when resolved "
                        + "already or the consumer's route is not running", null, DeadLetter.class,
                r -> admin.replay(r.caller(), id(r)));
        routes.post("/streams/dead-letters/{id}/skip", Roles.ADMIN, "Gives up on a dead letter ({reason}); 409 when "
                        + "resolved already", Skip.class, DeadLetter.class, r -> {
                    Skip body = r.body(Skip.class);
                    return admin.skip(r.caller(), id(r), body == null ? null : body.reason());
                });
    }

    static boolean all(RestRequest r) {
        String status = r.query("status").orElse("OPEN").trim();
        if ("ALL".equalsIgnoreCase(status)) {
            return true;
        }
        if ("OPEN".equalsIgnoreCase(status) || status.isEmpty()) {
            return false;
        }
        throw new IllegalArgumentException("status must be OPEN or ALL, not '" + status + "'");
    }

    static long id(RestRequest r) {
        try {
            return Long.parseLong(r.path("id").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("id must be the number of a dead letter, not '" + r.path("id") + "'");
        }
    }
}
