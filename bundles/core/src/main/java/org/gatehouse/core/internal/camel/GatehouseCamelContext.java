package org.gatehouse.core.internal.camel;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.DefaultErrorHandlerBuilder;
import org.apache.camel.core.osgi.OsgiDefaultCamelContext;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.api.AuditTrail;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The one CamelContext of the platform, published as a service so that the route whiteboard, route
 * files and other bundles share it. It knows the {@code gatehouse:} stream component from the start.
 * Routes are only ever added after {@link #start()} (routes added before start did not start in OSGi).
 * What integration routes send out of the platform is audited ({@link IntegrationAudit}).
 */
@Component(service = CamelContext.class, immediate = true, property = "camel.context.name=" + GatehouseCamelContext.NAME)
public class GatehouseCamelContext extends OsgiDefaultCamelContext {
    public static final String NAME = "gatehouse";
    public static final String TARGET = "(camel.context.name=" + NAME + ")";

    /** Audits what integration routes send out; the audit log itself may come and go. */
    private final AuditTrail integrationAudit = new AuditTrail("integration");

    @Activate
    public GatehouseCamelContext(BundleContext bundleContext) {
        super(bundleContext);
        setName(NAME);
        addComponent(Streams.SCHEME, new StreamComponent());
        getManagementStrategy().addEventNotifier(new IntegrationAudit(integrationAudit));
        adapt(ExtendedCamelContext.class).setErrorHandlerFactory(quietErrorHandler());
        addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onComponentAdd(String name, org.apache.camel.Component component) {
                boundedWaits(GatehouseCamelContext.this, name, component);
            }
        });
        start();
    }

    /**
     * The default error handler of every route without one of its own (route files included): a failed exchange is
     * not logged with its stack trace and message history by the handler. A route reading a stream is logged by the
     * outbox relay instead — one line per failure with the next attempt's time (and the stack trace at DEBUG);
     * any other consumer (timer, file, …) still logs its failures through its own exception handler.
     */
    static DefaultErrorHandlerBuilder quietErrorHandler() {
        DefaultErrorHandlerBuilder handler = new DefaultErrorHandlerBuilder();
        handler.logStackTrace(false).logExhaustedMessageHistory(false).logRetryAttempted(false)
                .retriesExhaustedLogLevel(LoggingLevel.DEBUG);
        return handler;
    }

    /**
     * Waits an HTTP target can impose on a route, unless the route file sets its own ({@code httpClient.socketTimeout},
     * {@code httpClient.connectTimeout} on the endpoint): Camel's default is to wait for ever, and a registry that
     * accepts the connection but never answers would keep its consumer busy (the relay reports it after
     * {@code deliveryTimeoutMillis}, and nobody else waits for it).
     */
    static final Map<String, Integer> HTTP_WAITS = Map.of("connectTimeout", 10_000, "connectionRequestTimeout",
            10_000, "socketTimeout", 60_000);

    /** Gives the {@code http}/{@code https} component the {@link #HTTP_WAITS} it was not configured with. */
    static void boundedWaits(CamelContext context, String name, org.apache.camel.Component component) {
        if (!"http".equals(name) && !"https".equals(name)) {
            return;
        }
        PropertyConfigurer configurer = component.getComponentPropertyConfigurer();
        if (!(configurer instanceof PropertyConfigurerGetter getter)) {
            return;
        }
        HTTP_WAITS.forEach((option, millis) -> {
            Object now = getter.getOptionValue(component, option, true);
            if (now == null || (now instanceof Number n && n.intValue() < 0)) {
                configurer.configure(context, component, option, millis, true);
            }
        });
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setAuditLog(AuditLog log) {
        integrationAudit.set(log);
    }

    void unsetAuditLog(AuditLog log) {
        integrationAudit.unset(log);
    }

    @Deactivate
    void deactivate() {
        stop();
    }
}
