package org.gatehouse.core.internal.camel;

import org.apache.camel.CamelContext;
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
