package org.gatehouse.core.internal.camel;

import java.io.File;
import java.nio.file.Files;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesBuilderLoader;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.apache.felix.fileinstall.ArtifactListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Integrators' route files: a {@code *.camel.xml} file dropped into Karaf's {@code deploy/} folder is
 * loaded with Camel's own XML routes loader (camel-xml-io-dsl) into the platform context; changing the
 * file replaces its routes, deleting it removes them. Felix FileInstall watches the folder and hands
 * the files to this {@link ArtifactInstaller}. (Blueprint is not available: camel-blueprint 3.22.4 is
 * missing from the registry; camel-yaml-dsl 3.22.4 too, so YAML files are not supported.)
 */
@Component(service = {ArtifactInstaller.class, ArtifactListener.class})
public class RouteFileInstaller implements ArtifactInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(RouteFileInstaller.class);
    static final String SUFFIX = ".camel.xml";


    private final OwnedRoutes routes;
    /**
     * camel-xml-io-dsl's loader, created by name: its POM cannot be resolved from the registry here (its
     * parent org.apache.camel:dsl:3.22.4 is missing) although the bundle jar itself is, so the code
     * does not compile against it and the manifest imports its package explicitly.
     */
    static final String XML_LOADER = "org.apache.camel.dsl.xml.io.XmlRoutesBuilderLoader";

    private final RoutesBuilderLoader loader;

    @Activate
    public RouteFileInstaller(@Reference(target = GatehouseCamelContext.TARGET) CamelContext context) throws Exception {

        this.routes = new OwnedRoutes(context);
        this.loader = (RoutesBuilderLoader) RouteFileInstaller.class.getClassLoader().loadClass(XML_LOADER)
                .getDeclaredConstructor().newInstance();
        loader.setCamelContext(context);
        ServiceHelper.startService(loader);
    }

    @Deactivate
    void deactivate() {
        for (var owner : java.util.List.copyOf(installed)) {
            routes.remove(owner);
        }
        ServiceHelper.stopService(loader);
    }

    private final java.util.Set<String> installed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(SUFFIX);
    }

    @Override
    public void install(File artifact) throws Exception {
        String owner = artifact.getAbsolutePath();
        String xml = Files.readString(artifact.toPath());
        Resource resource = ResourceHelper.fromString("file:" + owner, xml);
        try {
            RoutesBuilder builder = loader.loadRoutesBuilder(resource);
            var ids = routes.add(owner, builder);
            installed.add(owner);
            LOG.info("Route file {} installed: routes {}", artifact.getName(), ids);
        } catch (Exception e) {
            LOG.error("Route file {} rejected: {}", artifact.getName(), e.getMessage());
            throw e;
        }
    }

    @Override
    public void update(File artifact) throws Exception {
        uninstall(artifact);
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        String owner = artifact.getAbsolutePath();
        installed.remove(owner);
        var ids = routes.remove(owner);
        LOG.info("Route file {} removed: routes {}", artifact.getName(), ids);
    }

}
