package org.gatehouse.gate.ui;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/** An OSGi service of this bundle's world for a screen (Vaadin creates screens, so they are not DS components). */
final class Services {
    private Services() {
    }

    static <T> T get(Class<T> type) {
        Bundle bundle = FrameworkUtil.getBundle(Services.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) {
            return null;
        }
        ServiceReference<T> ref = context.getServiceReference(type);
        return ref == null ? null : context.getService(ref);
    }
}
