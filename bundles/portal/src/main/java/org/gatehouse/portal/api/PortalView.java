package org.gatehouse.portal.api;

import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;

import com.vaadin.flow.component.Component;

/**
 * A screen a module adds to the portal. A module registers one OSGi service per screen (from its own bundle or a
 * {@code <module>-ui} bundle beside it); the portal adds the route and a menu entry while the service is there and
 * removes both when it goes (feature uninstalled, bundle stopped), for users already logged in too.
 *
 * <p>The view class is created by Vaadin, once per visit; it reads who is logged in, the chosen community and the
 * API through {@link PortalSession#current()}.
 */
public interface PortalView {
    /** The URL path under the portal, e.g. {@code residents} (no leading slash, unique among the views). */
    String route();

    /** The key of the menu title in {@link #messages(Locale)}. */
    String titleKey();

    /** A Vaadin icon name, e.g. {@code vaadin:users}. */
    String icon();

    /** Roles that may open the screen (any of them); empty: every logged-in user. */
    Set<String> roles();

    Class<? extends Component> viewClass();

    /** Position in the menu, smaller first (the dashboard is 0). */
    int order();

    /** The module's own texts in {@code locale} (its bundle's resource bundle), for the menu title. */
    ResourceBundle messages(Locale locale);

    /** Whether a user with {@code userRoles} may open the screen. */
    default boolean allows(Set<String> userRoles) {
        return roles().isEmpty() || roles().stream().anyMatch(userRoles::contains);
    }
}
