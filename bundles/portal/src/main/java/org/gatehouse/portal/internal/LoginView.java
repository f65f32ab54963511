package org.gatehouse.portal.internal;

import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.LocalApi;
import org.gatehouse.core.api.RestException;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.AbstractLogin;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;

/**
 * The login page: the same users, roles and throttling as the REST API (a name or address locked after repeated
 * failures is refused without its password being checked). A successful login gets a new session id and a
 * {@link LoginWatch} of the login as the realm stores it, by which the session ends when the login is changed or
 * removed; the browser then comes back here with {@value #CHANGED} in the query, and the page says why.
 */
public class LoginView extends VerticalLayout implements HasDynamicTitle, BeforeEnterObserver {
    private static final long serialVersionUID = 1L;
    /** The query parameter that says the session ended because its login was changed or removed. */
    static final String CHANGED = "changed";

    private final LoginForm form = new LoginForm();

    public LoginView() {
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);
        form.setI18n(i18n(null));
        form.setForgotPasswordButtonVisible(false);
        form.addLoginListener(this::login);
        Button language = new Button(PortalTexts.T.t("portal.otherLanguage"), e -> {
            UI ui = UI.getCurrent();
            ui.setLocale(Languages.ENGLISH.getLanguage().equals(ui.getLocale().getLanguage()) ? Languages.CHINESE
                    : Languages.ENGLISH);
            ui.getPage().reload();
        });
        language.setId("language");
        language.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        H1 title = new H1(PortalTexts.T.t("portal.title"));
        title.getStyle().set("font-size", "var(--lumo-font-size-xxl)");
        add(title, form, new Paragraph(PortalTexts.T.t("login.hint")), language);
    }

    /** The query of the login page after a changed login's session was ended. */
    static QueryParameters changedQuery() {
        return QueryParameters.of(CHANGED, "1");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (event.getLocation().getQueryParameters().getParameters().containsKey(CHANGED)) {
            fail(PortalTexts.T.t("login.changed"));
        }
    }

    private LoginI18n i18n(String errorMessage) {
        LoginI18n i18n = LoginI18n.createDefault();
        LoginI18n.Form f = i18n.getForm();
        f.setTitle(PortalTexts.T.t("login.heading"));
        f.setUsername(PortalTexts.T.t("login.user"));
        f.setPassword(PortalTexts.T.t("login.password"));
        f.setSubmit(PortalTexts.T.t("login.submit"));
        LoginI18n.ErrorMessage error = i18n.getErrorMessage();
        error.setTitle(PortalTexts.T.t("login.failed"));
        error.setMessage(errorMessage == null ? PortalTexts.T.t("login.wrong") : errorMessage);
        return i18n;
    }

    private void login(AbstractLogin.LoginEvent event) {
        Portal portal = MainLayout.portal();
        LocalApi api = portal == null ? null : portal.api().get();
        if (api == null) {
            fail(PortalTexts.T.t("login.unavailable"));
            return;
        }
        VaadinRequest request = VaadinRequest.getCurrent();
        // Jetty writes an IPv6 address in brackets; the API's throttle (and its list of unthrottled local
        // addresses) knows it without
        String address = request == null || request.getRemoteAddr() == null ? "unknown"
                : request.getRemoteAddr().replace("[", "").replace("]", "");
        Caller caller;
        try {
            caller = api.login(event.getUsername(), event.getPassword().toCharArray(), address);
        } catch (RestException e) {
            fail(e.status() == 429 ? PortalTexts.T.t("login.locked", Math.max(1, e.retryAfterSeconds()))
                    : e.status() == 401 ? PortalTexts.T.t("login.wrong") : PortalTexts.T.t("login.unavailable"));
            return;
        }
        if (org.gatehouse.core.api.Roles.STAFF.stream().noneMatch(caller::hasRole)) {
            // residents and terminals have logins too, but the portal is for staff
            fail(PortalTexts.T.t("login.notStaff"));
            return;
        }
        // taken after the realm accepted the password: a plain password in the users file is hashed by that login
        LoginWatch watch = portal.watch(caller.name());
        if (watch == null) {
            // the realm's accounts are not there, or do not hold this login: no change could be told
            fail(PortalTexts.T.t("login.unavailable"));
            return;
        }
        // a new session id at login (no session fixation)
        VaadinService.reinitializeSession(request);
        PortalSession session = new PortalSession(caller, portal.api(watch), portal.zone());
        VaadinSession.getCurrent().setAttribute(LoginWatch.class, watch);
        VaadinSession.getCurrent().setAttribute(PortalSession.class, session);
        session.communities(session.list("/communities", java.util.Map.of()));
        UI ui = UI.getCurrent();
        ui.setLocale(portal.languages().of(caller.name(), ui.getLocale()));
        ui.getPage().setLocation("/");
    }

    private void fail(String message) {
        form.setI18n(i18n(message));
        form.setError(true);
        form.setEnabled(true);
    }

    @Override
    public String getPageTitle() {
        return PortalTexts.T.t("portal.title");
    }
}
