package org.gatehouse.portal.internal;

import java.net.URL;

import com.vaadin.flow.function.DeploymentConfiguration;
import com.vaadin.flow.server.ServiceException;
import com.vaadin.flow.server.VaadinServlet;
import com.vaadin.flow.server.VaadinServletService;

/**
 * The Vaadin servlet of the portal. Its service finds the static files of Vaadin's jars (the push client under
 * {@code META-INF/resources/VAADIN/static}) on the bundle's class path: a bundle is no web application, so the
 * servlet context does not see the jars' {@code META-INF/resources}.
 */
final class PortalServlet extends VaadinServlet {
    private static final long serialVersionUID = 1L;
    private final transient PortalGuard guard;

    PortalServlet(PortalGuard guard) {
        this.guard = guard;
    }

    @Override
    protected VaadinServletService createServletService(DeploymentConfiguration configuration) throws ServiceException {
        VaadinServletService service = new VaadinServletService(this, configuration) {
            private static final long serialVersionUID = 1L;

            @Override
            public URL getStaticResource(String path) {
                URL url = super.getStaticResource(path);
                if (url == null && path != null && path.startsWith("/VAADIN/static/")) {
                    url = PortalServlet.class.getClassLoader().getResource("META-INF/resources" + path);
                }
                return url;
            }
        };
        service.init();
        return service;
    }

    @Override
    protected void servletInitialized() throws jakarta.servlet.ServletException {
        super.servletInitialized();
        getService().addUIInitListener(guard::uiCreated);
    }
}
