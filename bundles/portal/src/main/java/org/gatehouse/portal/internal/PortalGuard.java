package org.gatehouse.portal.internal;

import java.util.Optional;

import org.gatehouse.portal.api.PortalSession;
import org.gatehouse.portal.api.PortalView;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.server.UIInitEvent;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.shared.communication.PushMode;
import com.vaadin.flow.shared.ui.Transport;

/**
 * Who may see what, checked before every navigation: nobody logged in goes to the login page; a screen whose roles
 * the user lacks (a police officer opening the residents' editor by its URL) is refused and the user stays on the
 * dashboard; a login removed from the realm, or whose password or roles changed since it logged in, ends here (its
 * {@link LoginWatch}) and the browser goes to the login page, which says why. What a screen may do is checked again
 * by the API on every call ({@link PortalSession#call}), and the login with it ({@link SessionApi}).
 */
final class PortalGuard {
    /** Where a navigation goes. */
    enum Step {
        /** To the screen asked for. */
        PROCEED,
        /** To the login page: nobody is logged in. */
        LOG_IN,
        /** To the login page, saying why: the login changed, and its session was ended. */
        LOGIN_CHANGED,
        /** To the dashboard: the login page asked for while logged in. */
        DASHBOARD,
        /** To the dashboard, with a refusal: the screen is not for this user's roles. */
        FORBIDDEN
    }

    private final Portal portal;

    PortalGuard(Portal portal) {
        this.portal = portal;
    }

    void uiCreated(UIInitEvent event) {
        UI ui = event.getUI();
        // server push for the live screens; long polling needs nothing beyond plain HTTP from the embedded Jetty
        ui.getPushConfiguration().setPushMode(PushMode.AUTOMATIC);
        ui.getPushConfiguration().setTransport(Transport.LONG_POLLING);
        PortalSession session = ui.getSession().getAttribute(PortalSession.class);
        ui.setLocale(session == null ? portal.defaultLocale()
                : portal.languages().of(session.user(), portal.defaultLocale()));
        ui.addBeforeEnterListener(this::beforeEnter);
    }

    void beforeEnter(BeforeEnterEvent event) {
        VaadinSession vaadin = VaadinSession.getCurrent();
        PortalSession session = vaadin == null ? null : vaadin.getAttribute(PortalSession.class);
        LoginWatch watch = vaadin == null ? null : vaadin.getAttribute(LoginWatch.class);
        Class<?> target = event.getNavigationTarget();
        switch (step(session, watch, target)) {
            case LOG_IN -> event.rerouteTo(LoginView.class);
            case LOGIN_CHANGED -> {
                // the session is ended and the page is being reloaded at the login page; until then show it here,
                // so that the screen asked for is not built without a session
                if (target != LoginView.class) {
                    event.rerouteTo(LoginView.class, LoginView.changedQuery());
                }
            }
            case DASHBOARD -> event.forwardTo(DashboardView.class);
            case FORBIDDEN -> {
                event.forwardTo(DashboardView.class);
                Notification n = Notification.show(PortalTexts.T.t("portal.forbidden"), 5000,
                        Notification.Position.TOP_CENTER);
                n.addThemeVariants(NotificationVariant.LUMO_ERROR);
            }
            default -> {
            }
        }
    }

    /**
     * Where a navigation to {@code target} goes for this session; a changed login's session is ended here. While the
     * realm's accounts cannot be asked the navigation goes on: the screen's calls are refused until they can.
     */
    Step step(PortalSession session, LoginWatch watch, Class<?> target) {
        if (session != null && (watch == null || watch.state() == LoginWatch.State.CHANGED)) {
            portal.endLogin();
            return Step.LOGIN_CHANGED;
        }
        if (session == null) {
            return target == LoginView.class ? Step.PROCEED : Step.LOG_IN;
        }
        if (target == LoginView.class) {
            return Step.DASHBOARD;
        }
        Optional<PortalView> view = portal.views().stream().filter(v -> v.viewClass() == target).findFirst();
        return view.isPresent() && !view.get().allows(session.caller().roles()) ? Step.FORBIDDEN : Step.PROCEED;
    }
}
