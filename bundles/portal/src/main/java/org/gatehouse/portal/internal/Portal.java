package org.gatehouse.portal.internal;

import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.gatehouse.core.api.Accounts;
import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.PortalView;

/**
 * The running portal as its screens see it: the views present now (with listeners told when one comes or goes), the
 * API, the realm's accounts, the users' languages and the configuration. Kept in the servlet context
 * ({@code VaadinContext} attribute), so that components Vaadin creates find it.
 */
final class Portal {
    private final Map<String, PortalView> views = new ConcurrentHashMap<>();
    private final List<Runnable> viewListeners = new CopyOnWriteArrayList<>();
    private final Supplier<LocalApi> api;
    private final Supplier<Accounts> accounts;
    private final Languages languages;
    private final ZoneId zone;
    private final Locale defaultLocale;

    Portal(Supplier<LocalApi> api, Supplier<Accounts> accounts, Languages languages, ZoneId zone, Locale defaultLocale) {
        this.api = api;
        this.accounts = accounts;
        this.languages = languages;
        this.zone = zone;
        this.defaultLocale = defaultLocale;
    }

    Supplier<LocalApi> api() {
        return api;
    }

    /** Whether {@code user} is still a login of the realm (a removed user's session ends at its next step). */
    boolean stillExists(String user) {
        Accounts a = accounts.get();
        return a == null || a.exists(user);
    }

    Languages languages() {
        return languages;
    }

    ZoneId zone() {
        return zone;
    }

    Locale defaultLocale() {
        return defaultLocale;
    }

    void put(PortalView view) {
        views.put(view.route(), view);
        viewListeners.forEach(Runnable::run);
    }

    void remove(PortalView view) {
        views.remove(view.route(), view);
        viewListeners.forEach(Runnable::run);
    }

    /** The views present, in menu order. */
    List<PortalView> views() {
        return views.values().stream().sorted(Comparator.comparingInt(PortalView::order)
                .thenComparing(PortalView::route)).toList();
    }

    Optional<PortalView> view(String route) {
        return Optional.ofNullable(views.get(route));
    }

    Runnable onViewsChanged(Runnable listener) {
        viewListeners.add(listener);
        return () -> viewListeners.remove(listener);
    }
}
