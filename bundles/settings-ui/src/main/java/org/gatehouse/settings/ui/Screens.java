package org.gatehouse.settings.ui;

import java.util.Set;

import org.gatehouse.portal.api.PortalView;
import org.gatehouse.portal.api.ViewEntry;
import org.osgi.service.component.annotations.Component;

/** The settings screen as a portal view: it comes and goes with this bundle. */
final class Screens {
    /** Only the city administration sees and changes the modules' configurations. */
    static final String CITY_ADMIN = "city-admin";

    private Screens() {
    }

    @Component(service = PortalView.class)
    public static class Settings extends ViewEntry {
        public Settings() {
            super("settings", "settings.title", "vaadin:cog", Set.of(CITY_ADMIN), SettingsView.class, 90, UiTexts.T);
        }
    }
}
