package org.gatehouse.privacy.ui;

import java.util.Set;

import org.gatehouse.portal.api.PortalView;
import org.gatehouse.portal.api.ViewEntry;
import org.osgi.service.component.annotations.Component;

/** The audit and privacy screens as portal views: they come and go with this bundle. */
final class Screens {
    static final String CITY_ADMIN = "city-admin";
    /** Who reads the audit log ({@code GET /audit}); verifying its chain is the city administration's. */
    static final Set<String> AUDIT = Set.of(CITY_ADMIN, "community-office", "police");
    /** Who exports a resident's data; retention and erasure are the city administration's. */
    static final Set<String> PRIVACY = Set.of(CITY_ADMIN, "community-office");

    private Screens() {
    }

    @Component(service = PortalView.class)
    public static class Audit extends ViewEntry {
        public Audit() {
            super("audit", "audit.title", "vaadin:file-text-o", AUDIT, AuditView.class, 60, UiTexts.T);
        }
    }

    @Component(service = PortalView.class)
    public static class Privacy extends ViewEntry {
        public Privacy() {
            super("privacy", "privacy.title", "vaadin:shield", PRIVACY, PrivacyView.class, 61, UiTexts.T);
        }
    }
}
