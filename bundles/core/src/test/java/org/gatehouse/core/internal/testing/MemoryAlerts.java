package org.gatehouse.core.internal.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.model.Acknowledgement;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;

/** Alerts kept in memory, in the order raised. */
public class MemoryAlerts implements AlertRepository {
    private final Map<String, Alert> alerts = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();

    @Override
    public synchronized Alert raise(Alert alert) {
        alerts.put(alert.id(), alert);
        order.add(alert.id());
        return alert;
    }

    @Override
    public synchronized List<Alert> alerts(Scope scope, String communityId, AlertStatus status, int limit) {
        return order.stream().map(alerts::get).filter(a -> status == null || a.status() == status)
                .filter(a -> communityId == null || a.communityId().equals(communityId)).limit(limit).toList();
    }

    @Override
    public Optional<Alert> alert(Scope scope, String id) {
        return Optional.ofNullable(alerts.get(id));
    }

    @Override
    public synchronized Alert acknowledge(Scope scope, String id, Acknowledgement acknowledgement,
                                          AlertStatus newStatus) {
        Alert a = alert(scope, id).orElseThrow(() -> new NotFoundException("alert", id));
        List<Acknowledgement> acks = new ArrayList<>(a.acknowledgements());
        acks.add(acknowledgement);
        Alert changed = new Alert(a.id(), a.communityId(), a.type(), a.severity(), newStatus, a.subjectId(),
                a.message(), a.raisedAt(), acks);
        alerts.put(id, changed);
        return changed;
    }

    public synchronized List<Alert> all() {
        return order.stream().map(alerts::get).toList();
    }
}
