package org.gatehouse.api.service;

import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.Acknowledgement;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertStatus;

/** Alerts and their acknowledgements; raising one also appends it to the {@code alerts} outbox. */
public interface AlertRepository {
    Alert raise(Alert alert);

    List<Alert> alerts(Scope scope, String communityId, AlertStatus status, int limit);

    Optional<Alert> alert(Scope scope, String id);

    Alert acknowledge(Scope scope, String id, Acknowledgement acknowledgement, AlertStatus newStatus);
}
