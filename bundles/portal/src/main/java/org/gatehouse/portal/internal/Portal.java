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
 * API, the realm's accounts (to watch each session's login), the users' languages and the configuration. Kept in the servlet context
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
    private final Runnable endLogin;

    /**
     * @param endLogin ends the current browser session of a login found changed, and sends the browser to the login
     *     page ({@link MainLayout#endChangedLogin} in the running portal)
     */
    Portal(Supplier<LocalApi> api, Supplier<Accounts> accounts, Languages languages, ZoneId zone, Locale defaultLocale,
           Runnable endLogin) {
        this.api = api;
        this.accounts = accounts;
        this.languages = languages;
        this.zone = zone;
        this.defaultLocale = defaultLocale;
        this.endLogin = endLogin;
    }

    /** The API itself: for logging in, before there is a session. */
    Supplier<LocalApi> api() {
        return api;
    }

    /**
     * The watch of {@code user}'s login as the realm stores it now, taken once the realm accepted the password (a
     * plain password in the users file is hashed by that login); {@code null} when it cannot be watched.
     */
    LoginWatch watch(String user) {
        return LoginWatch.of(user, accounts);
    }

    /** The API as the session of {@code watch} calls it: refused, and the session ended, once that login changed. */
    Supplier<LocalApi> api(LoginWatch watch) {
        return () -> {
            LocalApi local = api.get();
            return local == null ? null : new SessionApi(local, watch, endLogin);
        };
    }

    /** Ends the current browser session: its login changed. */
    void endLogin() {
        endLogin.run();
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
