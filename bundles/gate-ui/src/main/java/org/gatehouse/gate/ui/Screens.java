package org.gatehouse.gate.ui;

import java.util.Set;

import org.gatehouse.portal.api.PortalView;
import org.gatehouse.portal.api.ViewEntry;
import org.osgi.service.component.annotations.Component;

/** The gate's screens as portal views: they come and go with this bundle. */
final class Screens {
    /** Who may watch the gates (as GET /gate/devices and /passages). */
    static final Set<String> WATCH = Set.of("city-admin", "community-office", "police", "property");
    /** Who may open a door from the screen (as POST /gate/devices/{id}/open). */
    static final Set<String> OPEN = Set.of("city-admin", "community-office", "property");

    private Screens() {
    }

    @Component(service = PortalView.class)
    public static class Live extends ViewEntry {
        public Live() {
            super("live", "live.title", "vaadin:flash", WATCH, LivePassagesView.class, 10, UiTexts.T);
        }
    }

    @Component(service = PortalView.class)
    public static class Devices extends ViewEntry {
        public Devices() {
            super("devices", "devices.title", "vaadin:camera", WATCH, DevicesView.class, 50, UiTexts.T);
        }
    }
}
