package org.gatehouse.whitelist.ui;

import java.util.Set;

import org.gatehouse.portal.api.PortalView;
import org.gatehouse.portal.api.ViewEntry;
import org.osgi.service.component.annotations.Component;

/** The whitelist's screens as portal views: they come and go with this bundle. */
final class Screens {
    /** Who may read residents (as the API's resident routes). */
    static final Set<String> READ = Set.of("city-admin", "community-office", "police");
    /** Who may change them. */
    static final Set<String> MANAGE = Set.of("city-admin", "community-office");

    private Screens() {
    }

    @Component(service = PortalView.class)
    public static class Residents extends ViewEntry {
        public Residents() {
            super("residents", "residents.title", "vaadin:users", READ, ResidentsView.class, 20, UiTexts.T);
        }
    }

    @Component(service = PortalView.class)
    public static class Imports extends ViewEntry {
        public Imports() {
            super("imports", "imports.title", "vaadin:upload", MANAGE, ImportView.class, 25, UiTexts.T);
        }
    }
}
