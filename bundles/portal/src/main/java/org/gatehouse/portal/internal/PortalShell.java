package org.gatehouse.portal.internal;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Meta;
import com.vaadin.flow.theme.Theme;
import com.vaadin.flow.theme.lumo.Lumo;

/** The page every screen lives in: Lumo, a mobile-friendly viewport for tablets. */
@Theme(themeClass = Lumo.class)
@Meta(name = "viewport", content = "width=device-width, initial-scale=1")
public final class PortalShell implements AppShellConfigurator {
    private static final long serialVersionUID = 1L;
}
