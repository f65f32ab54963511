package org.gatehouse.integration.internal.rest;

import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.integration.internal.TargetBoard;
import org.gatehouse.integration.internal.TargetStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code GET /api/integration/targets}: each feed target's state, backlog, last success and last error. */
@Component(service = RestResource.class)
public class IntegrationResource implements RestResource {
    private final TargetBoard board;

    @Activate
    public IntegrationResource(@Reference TargetBoard board) {
        this.board = board;
    }

    @Override
    public String tag() {
        return "integration";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/integration/targets", Roles.OFFICE, "The feed targets: state (OK, FAILING, MISCONFIGURED with the "
                + "configuration error), per feed the events behind on its stream, last success, last error and since "
                + "when it fails, refusals by the receiver. A community office sees the targets that feed one of its "
                + "communities (or all communities); rejected configurations are shown to city administrators",
                TargetStatus.View[].class, r -> board.views(r.caller().scope()));
    }
}
