package org.gatehouse.visitor.ui;

import java.util.Set;

import org.gatehouse.portal.api.PortalView;
import org.gatehouse.portal.api.ViewEntry;
import org.osgi.service.component.annotations.Component;

/** The visitor module's screens as portal views: they come and go with this bundle. */
final class Screens {
    /** Who may read visitors and the visitor log (as the API's GET /communities/{id}/visitors and /visit-log). */
    static final Set<String> READ = Set.of("city-admin", "community-office", "police");
    /**
     * Who may register, decide, close and issue or revoke passes here: the office (the API lets the host resident
     * too, but a resident cannot list a community's visitors, so has no use of these screens).
     */
    static final Set<String> MANAGE = Set.of("city-admin", "community-office");

    private Screens() {
    }

    @Component(service = PortalView.class)
    public static class Visitors extends ViewEntry {
        public Visitors() {
            super("visitors", "visitors.title", "vaadin:user-clock", READ, VisitorsView.class, 30, UiTexts.T);
        }
    }

    @Component(service = PortalView.class)
    public static class Log extends ViewEntry {
        public Log() {
            super("visit-log", "visitLog.title", "vaadin:records", READ, VisitLogView.class, 31, UiTexts.T);
        }
    }
}
