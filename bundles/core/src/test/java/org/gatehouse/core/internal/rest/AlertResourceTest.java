package org.gatehouse.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.gatehouse.api.model.Acknowledgement;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.core.api.LocalApi;
import org.junit.jupiter.api.Test;

/** The alerts inbox: scoped like every query; an acknowledgement needs a note and leaves welfare to its own desk. */
class AlertResourceTest {
    private final List<Alert> stored = new ArrayList<>();
    private final AlertRepository repository = new AlertRepository() {
        @Override
        public Alert raise(Alert alert) {
            stored.add(alert);
            return alert;
        }

        @Override
        public List<Alert> alerts(Scope scope, String communityId, AlertStatus status, int limit) {
            return stored.stream().filter(a -> scope.allows(a.communityId()))
                    .filter(a -> communityId == null || communityId.equals(a.communityId()))
                    .filter(a -> status == null || a.status() == status).limit(limit).toList();
        }

        @Override
        public Optional<Alert> alert(Scope scope, String id) {
            return stored.stream().filter(a -> a.id().equals(id) && scope.allows(a.communityId())).findFirst();
        }

        @Override
        public Alert acknowledge(Scope scope, String id, Acknowledgement ack, AlertStatus newStatus) {
            Alert a = alert(scope, id).orElseThrow(() -> new NotFoundException("alert", id));
            Alert changed = new Alert(a.id(), a.communityId(), a.type(), a.severity(), newStatus, a.subjectId(),
                    a.message(), a.raisedAt(), List.of(ack), a.visit());
            stored.set(stored.indexOf(a), changed);
            return changed;
        }
    };
    private final ApiServlet api = LocalApiTest.servlet(new AlertResource(repository,
            java.time.Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), java.time.ZoneOffset.UTC)));
    private final Caller guard = new Caller("guard", Set.of(Roles.PROPERTY), Scope.of("C1"));

    private Alert alert(String id, String community, AlertType type) {
        return repository.raise(new Alert(id, community, type, AlertSeverity.WARNING, AlertStatus.OPEN, null,
                "something", Instant.parse("2026-12-01T08:00:00Z"), List.of(), null));
    }

    private LocalApi.Answer call(String method, String path, Map<String, String> query, Object body) {
        return api.call(guard, java.util.Locale.ENGLISH, method, path, query, body, Map.of());
    }

    @Test
    void theInboxIsScopedAndFiltered() {
        alert("a1", "C1", AlertType.STRANGER);
        alert("a2", "C1", AlertType.DEVICE_OFFLINE);
        alert("a3", "C2", AlertType.STRANGER);
        LocalApi.Answer mine = call("GET", "/alerts", Map.of("type", "stranger"), null);
        assertEquals(1, ((List<?>) mine.body()).size(), "another community's alert never shows");
        assertEquals("a1", ((Map<?, ?>) ((List<?>) mine.body()).get(0)).get("id"));
        assertEquals(400, call("GET", "/alerts", Map.of("status", "LOST"), null).status());
    }

    @Test
    void anAcknowledgementNeedsANoteAndStaysInScope() {
        alert("a1", "C1", AlertType.STRANGER);
        alert("a3", "C2", AlertType.STRANGER);
        alert("w1", "C1", AlertType.WELFARE_INACTIVITY);
        assertEquals(400, call("POST", "/alerts/a1/acknowledge", Map.of(), Map.of("note", " ")).status());
        assertEquals(404, call("POST", "/alerts/a3/acknowledge", Map.of(), Map.of("note", "seen")).status(),
                "not in the caller's scope");
        LocalApi.Answer welfare = call("POST", "/alerts/w1/acknowledge", Map.of(), Map.of("note", "seen"));
        assertEquals("WELFARE_CASE", welfare.code());
        assertEquals(AlertStatus.OPEN, stored.get(2).status(), "left to the welfare desk");

        LocalApi.Answer acked = call("POST", "/alerts/a1/acknowledge", Map.of(),
                Map.of("note", "保安已到场 guard went", "close", true));
        assertEquals(200, acked.status());
        assertEquals("CLOSED", ((Map<?, ?>) acked.body()).get("status"));
        assertEquals("guard", stored.get(0).acknowledgements().get(0).by());
        LocalApi.Answer again = call("POST", "/alerts/a1/acknowledge", Map.of(), Map.of("note", "again"));
        assertEquals(409, again.status());
        assertTrue(again.message().contains("closed"));
    }
}
