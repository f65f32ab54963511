package org.gatehouse.portal.internal;

import java.util.Locale;

import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;
import org.gatehouse.portal.api.PortalView;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.RouterLayout;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.WrappedSession;

/**
 * The frame around every screen: the menu built from the views present now (rebuilt in open tabs when a module's
 * feature comes or goes), the community chooser, the language switch and logout. It loads Lumo's badges (verdicts,
 * states) for every screen.
 */
@JsModule("@vaadin/vaadin-lumo-styles/badge-global.js")
public class MainLayout extends AppLayout implements RouterLayout {
    private static final long serialVersionUID = 1L;

    private final SideNav nav = new SideNav();
    private transient Runnable unsubscribe;

    public MainLayout() {
        PortalSession session = PortalSession.current();
        H1 title = new H1(PortalTexts.T.t("portal.title"));
        title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("margin", "0");
        HorizontalLayout bar = new HorizontalLayout(new DrawerToggle(), title);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        bar.setWidthFull();
        bar.getStyle().set("padding-right", "var(--lumo-space-m)");
        Span spacer = new Span();
        bar.add(spacer);
        bar.setFlexGrow(1, spacer);
        if (session != null) {
            if (session.communities().size() > 1) {
                Select<Doc> community = new Select<>();
                community.setId("community");
                community.setItems(session.communities());
                community.setItemLabelGenerator(c -> c.text("name"));
                session.communities().stream().filter(c -> c.text("id").equals(session.community())).findFirst()
                        .ifPresent(community::setValue);
                community.addValueChangeListener(e -> {
                    if (e.isFromClient() && e.getValue() != null) {
                        session.community(e.getValue().text("id"));
                        UI.getCurrent().getPage().reload();
                    }
                });
                bar.add(community);
            } else if (!session.communities().isEmpty()) {
                bar.add(new Span(session.communities().get(0).text("name")));
            }
            Span user = new Span(session.user());
            user.setId("user");
            bar.add(user);
        }
        Button language = new Button(PortalTexts.T.t("portal.otherLanguage"), e -> switchLanguage());
        language.setId("language");
        language.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        Button logout = new Button(PortalTexts.T.t("portal.logout"), e -> logout());
        logout.setId("logout");
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        bar.add(language, logout);
        addToNavbar(bar);
        nav.setId("menu");
        addToDrawer(nav);
        buildMenu();
    }

    private void buildMenu() {
        nav.removeAll();
        PortalSession session = PortalSession.current();
        Portal portal = portal();
        SideNavItem home = new SideNavItem(PortalTexts.T.t("dashboard.title"), DashboardView.class,
                new Icon("vaadin", "dashboard"));
        nav.addItem(home);
        if (session == null || portal == null) {
            return;
        }
        Locale locale = getLocale();
        for (PortalView view : portal.views()) {
            if (!view.allows(session.caller().roles())) {
                continue;
            }
            String title;
            try {
                title = view.messages(locale).getString(view.titleKey());
            } catch (RuntimeException e) {
                title = view.route();
            }
            String[] icon = view.icon().split(":", 2);
            SideNavItem item = new SideNavItem(title, "/" + view.route(),
                    icon.length == 2 ? new Icon(icon[0], icon[1]) : new Icon("vaadin", icon[0]));
            nav.addItem(item);
        }
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        Portal portal = portal();
        UI ui = attachEvent.getUI();
        if (portal != null) {
            unsubscribe = portal.onViewsChanged(() -> ui.access(this::buildMenu));
        }
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
        super.onDetach(detachEvent);
    }

    private void switchLanguage() {
        Locale next = Languages.ENGLISH.getLanguage().equals(getLocale().getLanguage()) ? Languages.CHINESE
                : Languages.ENGLISH;
        PortalSession session = PortalSession.current();
        Portal portal = portal();
        if (session != null && portal != null) {
            portal.languages().choose(session.user(), next);
        }
        UI.getCurrent().setLocale(next);
        UI.getCurrent().getPage().reload();
    }

    static void logout() {
        VaadinSession session = VaadinSession.getCurrent();
        session.setAttribute(PortalSession.class, null);
        UI.getCurrent().getPage().setLocation("/login");
        session.getSession().invalidate();
    }

    /**
     * Ends the current browser session because its login was changed or removed: as {@link #logout}, but the login
     * page says why. Runs where the session is current (a click, a navigation, a push update); a call from anywhere
     * else is refused all the same, and the session ends at its next request.
     */
    static void endChangedLogin() {
        VaadinSession session = VaadinSession.getCurrent();
        if (session == null) {
            return;
        }
        session.setAttribute(PortalSession.class, null);
        session.setAttribute(LoginWatch.class, null);
        UI ui = UI.getCurrent();
        if (ui != null) {
            ui.getPage().setLocation("/login?" + LoginView.changedQuery().getQueryString());
        }
        WrappedSession http = session.getSession();
        if (http != null) {
            try {
                http.invalidate();
            } catch (IllegalStateException ended) {
                // ended already, by an earlier call of the same request
            }
        }
    }

    static Portal portal() {
        VaadinService service = VaadinService.getCurrent();
        return service == null ? null : service.getContext().getAttribute(Portal.class);
    }
}
