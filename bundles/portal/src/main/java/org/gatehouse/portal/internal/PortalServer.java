package org.gatehouse.portal.internal;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.gatehouse.core.api.Accounts;
import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.PortalView;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.vaadin.flow.router.RouteConfiguration;
import com.vaadin.flow.server.VaadinServletContext;
import com.vaadin.flow.server.startup.ApplicationRouteRegistry;
import com.vaadin.flow.server.startup.ErrorNavigationTargetInitializer;
import com.vaadin.flow.server.startup.LookupServletContainerInitializer;
import com.vaadin.flow.server.startup.VaadinAppShellInitializer;
import com.vaadin.flow.di.LookupInitializer;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * The portal's web server: an embedded Jetty 12 with the Vaadin servlet on its own port (the REST API keeps Karaf's
 * 8181), started when the bundle starts and stopped with it. Every {@link PortalView} service registered anywhere
 * becomes a route inside the portal's frame and a menu entry, live.
 *
 * <p>A bundle is no web application: there is no annotation scan, so Vaadin's initializers run by hand when the
 * context starts (see STACK.md), and the thread context class loader is this bundle's while Jetty and Vaadin start.
 *
 * <p>Once it listens it says so with a service whose properties {@value #PORT_PROPERTY} (the port it really listens
 * on, also when configured as 0) and {@value #HOST_PROPERTY} are all it carries: the start page at {@code /} (the
 * apidocs bundle, which does not depend on this one) finds it by that property and links to the portal. The service
 * goes before the server stops.
 */
@org.osgi.service.component.annotations.Component(immediate = true, configurationPid = PortalConfig.PID)
@Designate(ocd = PortalConfig.class)
public class PortalServer {
    private static final Logger LOG = LoggerFactory.getLogger(PortalServer.class);
    /** Service property: the port the portal listens on (read by the start page). */
    static final String PORT_PROPERTY = "gatehouse.portal.port";
    /** Service property: the address the portal listens on, as configured. */
    static final String HOST_PROPERTY = "gatehouse.portal.host";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LocalApi api;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Accounts accounts;

    /** Views that came before the server was up, and all views since (route registration needs the context). */
    private final Map<String, PortalView> pending = new ConcurrentHashMap<>();
    private volatile Portal portal;
    private volatile ServletContext context;
    private Server server;
    private int port;
    private ServiceRegistration<?> announcement;

    @Activate
    void activate(BundleContext bundleContext, PortalConfig config) throws Exception {
        Path data = Path.of(System.getProperty("karaf.data", "data"));
        portal = new Portal(() -> api, () -> accounts, new Languages(data.resolve("portal").resolve("languages.properties")),
                ZoneId.of(config.timeZone()), Languages.parse(config.defaultLanguage()), MainLayout::endChangedLogin);
        pending.values().forEach(portal::put);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(PortalServer.class.getClassLoader());
        try {
            server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(config.host());
            connector.setPort(config.port());
            server.addConnector(connector);

            ServletContextHandler handler = new ServletContextHandler(ServletContextHandler.SESSIONS);
            handler.setContextPath("/");
            handler.setClassLoader(PortalServer.class.getClassLoader());
            SessionHandler sessions = handler.getSessionHandler();
            sessions.setMaxInactiveInterval(config.sessionTimeoutMinutes() * 60);
            sessions.setHttpOnly(true);
            sessions.setSessionCookie("GATEHOUSE_PORTAL");
            sessions.setSameSite(org.eclipse.jetty.http.HttpCookie.SameSite.STRICT);

            handler.addEventListener(new ServletContextListener() {
                @Override
                public void contextInitialized(ServletContextEvent event) {
                    initVaadin(event.getServletContext());
                }
            });
            ServletHolder holder = new ServletHolder("portal", new PortalServlet(new PortalGuard(portal)));
            holder.setInitParameter("productionMode", "true");
            // an open tab's heartbeats do not keep a login alive: it ends after sessionTimeoutMinutes of no use
            holder.setInitParameter("closeIdleSessions", "true");
            holder.setInitOrder(1);
            holder.setAsyncSupported(true);
            handler.addServlet(holder, "/*");
            server.setHandler(handler);
            server.start();
            port = connector.getLocalPort();
        } finally {
            thread.setContextClassLoader(previous);
        }
        LOG.info("Portal at http://{}:{}/ ({} screens from modules so far)", config.host(), port, pending.size());
        announcement = announce(bundleContext, config.host(), port);
    }

    /** The service that says the portal listens on {@code port}: any object will do, only its properties count. */
    static ServiceRegistration<?> announce(BundleContext bundleContext, String host, int port) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(PORT_PROPERTY, port);
        properties.put(HOST_PROPERTY, host);
        properties.put(Constants.SERVICE_DESCRIPTION, "The Gatehouse web portal listens on port " + port);
        return bundleContext.registerService(Object.class, new Object(), properties);
    }

    private void initVaadin(ServletContext ctx) {
        try {
            new LookupServletContainerInitializer().process(Set.of(LookupInitializer.class), ctx);
            VaadinServletContext vaadin = new VaadinServletContext(ctx);
            new ErrorNavigationTargetInitializer().initialize(new HashSet<>(), vaadin);
            VaadinAppShellInitializer.init(Set.of(PortalShell.class), vaadin);
            vaadin.setAttribute(Portal.class, portal);
            RouteConfiguration routes = RouteConfiguration.forRegistry(ApplicationRouteRegistry.getInstance(vaadin));
            routes.setRoute("login", LoginView.class);
            routes.setRoute("", DashboardView.class, MainLayout.class);
            context = ctx;
            pending.values().forEach(this::addRoute);
        } catch (Exception e) {
            throw new IllegalStateException("Vaadin could not start: " + e, e);
        }
    }

    @Deactivate
    void deactivate() throws Exception {
        if (announcement != null) {
            try {
                announcement.unregister();
            } catch (IllegalStateException gone) {
                // the bundle is stopping: the framework took it away already
            }
            announcement = null;
        }
        if (server != null) {
            server.stop();
        }
        context = null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addView(PortalView view) {
        pending.put(view.route(), view);
        Portal p = portal;
        if (p != null) {
            p.put(view);
        }
        if (context != null) {
            addRoute(view);
        }
    }

    void removeView(PortalView view) {
        pending.remove(view.route(), view);
        Portal p = portal;
        ServletContext ctx = context;
        if (ctx != null) {
            RouteConfiguration.forRegistry(ApplicationRouteRegistry.getInstance(new VaadinServletContext(ctx)))
                    .removeRoute(view.route());
        }
        if (p != null) {
            p.remove(view);
        }
        LOG.info("Portal screen removed: /{}", view.route());
    }

    private void addRoute(PortalView view) {
        ServletContext ctx = context;
        if (ctx == null) {
            return;
        }
        RouteConfiguration routes = RouteConfiguration.forRegistry(
                ApplicationRouteRegistry.getInstance(new VaadinServletContext(ctx)));
        Class<? extends com.vaadin.flow.component.Component> type = view.viewClass();
        if (routes.isPathAvailable(view.route())) {
            routes.removeRoute(view.route());
        }
        routes.setRoute(view.route(), type, MainLayout.class);
        LOG.info("Portal screen added: /{} ({})", view.route(), type.getName());
    }

    /** The port the portal listens on (for the status and tests). */
    int port() {
        return port;
    }
}
