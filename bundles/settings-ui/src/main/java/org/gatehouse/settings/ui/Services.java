package org.gatehouse.settings.ui;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/** An OSGi service of this bundle's world for a screen (Vaadin creates screens, so they are not DS components). */
final class Services {
    private Services() {
    }

    static <T> T get(Class<T> type) {
        BundleContext context = context();
        if (context == null) {
            return null;
        }
        ServiceReference<T> ref = context.getServiceReference(type);
        return ref == null ? null : context.getService(ref);
    }

    /** The bundles installed now (none outside OSGi). */
    static Bundle[] bundles() {
        BundleContext context = context();
        return context == null ? new Bundle[0] : context.getBundles();
    }

    /** The bundle with {@code id}, or {@code null} when it is gone. */
    static Bundle bundle(long id) {
        BundleContext context = context();
        return context == null ? null : context.getBundle(id);
    }

    private static BundleContext context() {
        Bundle bundle = FrameworkUtil.getBundle(Services.class);
        return bundle == null ? null : bundle.getBundleContext();
    }
}
