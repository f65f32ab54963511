package org.gatehouse.store.internal;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.cayenne.di.ClassLoaderManager;

/**
 * Finds classes and resources in the application bundle first, then in Cayenne's bundles (STACK.md:
 * "Cayenne in OSGi needs three things"). Used as Cayenne's {@link ClassLoaderManager} and as the thread
 * context class loader while the runtime is built and used.
 */
public final class CompositeClassLoader extends ClassLoader implements ClassLoaderManager {
    private final List<ClassLoader> delegates;

    public CompositeClassLoader(ClassLoader... loaders) {
        super(null);
        Set<ClassLoader> unique = new LinkedHashSet<>();
        for (ClassLoader loader : loaders) {
            if (loader != null) {
                unique.add(loader);
            }
        }
        this.delegates = List.copyOf(unique);
    }

    @Override
    public ClassLoader getClassLoader(String resourceName) {
        return this;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (ClassLoader loader : delegates) {
            try {
                return loader.loadClass(name);
            } catch (ClassNotFoundException | NoClassDefFoundError e) {
                // next one
            }
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
        for (ClassLoader loader : delegates) {
            URL url = loader.getResource(name);
            if (url != null) {
                return url;
            }
        }
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        List<URL> all = new ArrayList<>();
        for (ClassLoader loader : delegates) {
            Enumeration<URL> urls = loader.getResources(name);
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                if (!all.contains(url)) {
                    all.add(url);
                }
            }
        }
        return Collections.enumeration(all);
    }
}
