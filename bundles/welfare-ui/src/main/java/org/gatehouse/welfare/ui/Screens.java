package org.gatehouse.welfare.ui;

import java.util.Set;

import org.gatehouse.portal.api.PortalView;
import org.gatehouse.portal.api.ViewEntry;
import org.osgi.service.component.annotations.Component;

/** The welfare module's screen as a portal view: it comes and goes with this bundle. */
final class Screens {
    /** Who sees and acknowledges cases (as the API's welfare case routes). */
    static final Set<String> STAFF = Set.of("city-admin", "community-office", "police", "property");
    /** Who closes a case. */
    static final Set<String> CLOSE = Set.of("city-admin", "community-office", "police");
    /** Who runs the detectors ({@code POST /welfare/check}). */
    static final Set<String> CHECK = Set.of("city-admin", "community-office");

    private Screens() {
    }

    @Component(service = PortalView.class)
    public static class Alerts extends ViewEntry {
        public Alerts() {
            super("alerts", "alerts.title", "vaadin:bell", STAFF, AlertsView.class, 40, UiTexts.T);
        }
    }
}
