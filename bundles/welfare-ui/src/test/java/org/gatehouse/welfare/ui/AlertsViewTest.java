package org.gatehouse.welfare.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AlertsViewTest {
    @Test
    void theQueryCarriesOnlyTheFiltersThatAreSet() {
        assertEquals(Map.of("community", "SUNSHINE", "status", "OPEN", "limit", "500"),
                AlertsView.query("SUNSHINE", "OPEN", AlertsView.ANY, 500));
        assertEquals(Map.of("community", "SUNSHINE", "kind", "IDLE_UNIT", "limit", "50"),
                AlertsView.query("SUNSHINE", "", "IDLE_UNIT", 50));
    }

    @Test
    void aFilterOffersAllFirst() {
        assertEquals(List.of("", "OPEN", "ACKNOWLEDGED", "CLOSED"), AlertsView.withAny(AlertsView.STATUSES));
    }
}
