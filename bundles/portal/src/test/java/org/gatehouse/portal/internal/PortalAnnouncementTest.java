package org.gatehouse.portal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/** The running portal says which port it listens on, in the property the start page at / looks for. */
class PortalAnnouncementTest {
    @Test
    void thePortalAnnouncesThePortItListensOnWhereTheStartPageLooks() throws Exception {
        AtomicReference<Dictionary<String, ?>> registered = new AtomicReference<>();
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, ?> properties = (Dictionary<String, ?>) args[2];
                        registered.set(properties);
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        assertSame(registration, PortalServer.announce(context, "0.0.0.0", 41234));
        Dictionary<String, ?> properties = registered.get();
        // the filter of the start page (bundles/apidocs HomeServlet), which does not depend on this bundle
        assertTrue(FrameworkUtil.createFilter("(gatehouse.portal.port=*)").match(properties));
        assertEquals(41234, properties.get("gatehouse.portal.port"), "the port it really listens on");
        assertEquals("0.0.0.0", properties.get("gatehouse.portal.host"));
    }
}
