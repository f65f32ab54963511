package org.gatehouse.portal.api;

import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;

import com.vaadin.flow.component.Component;

/**
 * A {@link PortalView} from fixed values, for a module's DS component to extend:
 * <pre>
 * &#64;Component(service = PortalView.class)
 * public class ResidentsScreen extends ViewEntry {
 *     public ResidentsScreen() {
 *         super("residents", "residents.title", "vaadin:users", Set.of("city-admin", "community-office"),
 *                 ResidentsView.class, 20, UiTexts.T);
 *     }
 * }
 * </pre>
 */
public class ViewEntry implements PortalView {
    private final String route;
    private final String titleKey;
    private final String icon;
    private final Set<String> roles;
    private final Class<? extends Component> viewClass;
    private final int order;
    private final Texts texts;

    public ViewEntry(String route, String titleKey, String icon, Set<String> roles,
                     Class<? extends Component> viewClass, int order, Texts texts) {
        this.route = route;
        this.titleKey = titleKey;
        this.icon = icon;
        this.roles = Set.copyOf(roles);
        this.viewClass = viewClass;
        this.order = order;
        this.texts = texts;
    }

    @Override
    public String route() {
        return route;
    }

    @Override
    public String titleKey() {
        return titleKey;
    }

    @Override
    public String icon() {
        return icon;
    }

    @Override
    public Set<String> roles() {
        return roles;
    }

    @Override
    public Class<? extends Component> viewClass() {
        return viewClass;
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public ResourceBundle messages(Locale locale) {
        return texts.bundle(locale);
    }
}
