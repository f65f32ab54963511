package org.gatehouse.welfare.internal.rest;

import static org.gatehouse.welfare.internal.Messages.MESSAGES;

import java.util.Locale;
import java.util.Set;

import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.welfare.internal.CheckReport;
import org.gatehouse.welfare.internal.WelfareChecks;
import org.gatehouse.welfare.internal.WelfareDesk;
import org.gatehouse.welfare.internal.WelfareDesk.Acknowledgement;
import org.gatehouse.welfare.internal.WelfareDesk.CaseLine;
import org.gatehouse.welfare.internal.WelfareDesk.CaseView;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Welfare alerts and cases under {@code /api/welfare}, and the detectors run as of a time. */
@Component(service = RestResource.class)
public class WelfareResource implements RestResource {
    /** Who sees and acknowledges: the office, the police, the property staff. */
    static final Set<String> STAFF = Roles.STAFF;
    /** Who closes a case: the office and the police. */
    static final Set<String> CLOSE = Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE, Roles.POLICE);
    /** Body of {@code POST /welfare/cases/{id}/close}. */
    public record CloseRequest(String reason) {
    }

    private final WelfareDesk desk;
    private final WelfareChecks checks;

    @Activate
    public WelfareResource(@Reference WelfareDesk desk, @Reference WelfareChecks checks) {
        this.desk = desk;
        this.checks = checks;
    }

    @Override
    public String tag() {
        return "welfare";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.post("/welfare/check", Roles.OFFICE, "Run the welfare detectors (inactivity watch, idle flats, sublease "
                + "signs) for the caller's communities as of ?asOf (ISO-8601 with offset, e.g. "
                + "2026-12-01T08:00+08:00; default now); running twice as of the same time opens nothing twice",
                null, CheckReport.Summary.class,
                r -> checks.run(r.caller().scope(), org.gatehouse.welfare.internal.WelfareApi.asOf(
                        r.query("asOf").orElse(null))).summary());
        routes.get("/welfare/cases", STAFF, "Welfare alerts and cases of the caller's communities, newest first "
                + "(?community, ?status OPEN|ACKNOWLEDGED|CLOSED, ?kind WELFARE_INACTIVITY|IDLE_UNIT|SUBLEASE_SIGNAL, "
                + "?limit); no personal record", CaseLine[].class,
                r -> desk.list(r.caller(), r.query("community").filter(s -> !s.isBlank()).orElse(null),
                        parse(r, "status", AlertStatus.class), parse(r, "kind", AlertType.class),
                        r.queryInt("limit", 100, 1, 1000)));
        routes.get("/welfare/cases/{id}", STAFF, "One case with the photo-free record of the person (name, age, flat, "
                + "last passage, phone) or flat; each view is audited", CaseView.class,
                r -> desk.view(r.caller(), r.path("id")));
        routes.post("/welfare/cases/{id}/acknowledge", STAFF, "Who went, when and what they found {visitedBy?, "
                + "visitedAt?, outcome FOUND_WELL|NEEDED_HELP|NOT_HOME|HOSPITAL|OTHER, finding}; stops the escalation",
                Acknowledgement.class, WelfareCase.class,
                r -> desk.acknowledge(r.caller(), r.path("id"), r.body(Acknowledgement.class)));
        routes.post("/welfare/cases/{id}/close", CLOSE, "Close a case {reason?}", CloseRequest.class,
                WelfareCase.class, r -> {
                    CloseRequest body = r.body(CloseRequest.class);
                    return desk.close(r.caller(), r.path("id"), body == null ? null : body.reason());
                });
    }

    private static <E extends Enum<E>> E parse(RestRequest r, String name, Class<E> type) {
        String raw = r.query(name).filter(s -> !s.isBlank()).orElse(null);
        if (raw == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MESSAGES.badRequest("welfare.badFilter", name, raw);
        }
    }
}
