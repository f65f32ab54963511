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
 * dashboard; a login removed from the realm ends at its next step. What a screen may do is checked again by the API
 * on every call ({@link PortalSession#call}).
 */
final class PortalGuard {
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
        Class<?> target = event.getNavigationTarget();
        if (session != null && !portal.stillExists(session.user())) {
            vaadin.setAttribute(PortalSession.class, null);
            session = null;
        }
        if (session == null) {
            if (target != LoginView.class) {
                event.rerouteTo(LoginView.class);
            }
            return;
        }
        if (target == LoginView.class) {
            event.forwardTo(DashboardView.class);
            return;
        }
        Optional<PortalView> view = portal.views().stream().filter(v -> v.viewClass() == target).findFirst();
        if (view.isPresent() && !view.get().allows(session.caller().roles())) {
            event.forwardTo(DashboardView.class);
            Notification n = Notification.show(PortalTexts.T.t("portal.forbidden"), 5000, Notification.Position.TOP_CENTER);
            n.addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }
}
