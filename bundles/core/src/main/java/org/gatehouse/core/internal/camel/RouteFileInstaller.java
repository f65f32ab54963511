package org.gatehouse.core.internal.camel;

import java.io.File;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
@Component(service = {ArtifactInstaller.class, ArtifactListener.class, RouteFileInstaller.class})
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
        lastGood.clear();
        problems.clear();
        for (var owner : java.util.List.copyOf(installed)) {
            routes.remove(owner);
        }
        ServiceHelper.stopService(loader);
    }

    private final java.util.Set<String> installed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A route file that could not be loaded: the parser's or Camel's message, the line and column when the parser
     * gave them, and whether the file's previous version keeps running.
     */
    public record Problem(String file, String message, Integer line, Integer column, Instant at,
                          boolean previousKept) {
        /** " at line 5, column 12", or nothing when the parser did not say. */
        public String where() {
            return line == null ? "" : " at line " + line + (column == null ? "" : ", column " + column);
        }
    }

    private final Map<String, String> lastGood = new ConcurrentHashMap<>();
    private final Map<String, Problem> problems = new ConcurrentHashMap<>();

    /**
     * The route files that could not be loaded, oldest first (for gatehouse:status and the health details); a
     * rejected file that has been deleted since is forgotten.
     */
    public List<Problem> problems() {
        problems.keySet().removeIf(owner -> !new File(owner).exists());
        return problems.values().stream().sorted(Comparator.comparing(Problem::at)).toList();
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(SUFFIX);
    }

    @Override
    public void install(File artifact) throws Exception {
        String owner = owner(artifact);
        String xml = Files.readString(artifact.toPath());
        try {
            Set<String> ids = load(owner, xml);
            problems.remove(owner);
            LOG.info("Route file {} installed: routes {}", artifact.getName(), ids);
        } catch (Exception e) {
            Problem problem = problem(artifact, xml, e, false);
            problems.put(owner, problem);
            LOG.error("Route file {} rejected{}: {}", artifact.getName(), problem.where(), problem.message());
            throw e;
        }
    }

    /**
     * A changed file replaces its routes only if it loads: otherwise the previous version is put back and keeps
     * running, and the problem (file, line, column) shows in {@code gatehouse:status} and the health details.
     */
    @Override
    public void update(File artifact) throws Exception {
        String owner = owner(artifact);
        String previous = lastGood.get(owner);
        String xml = Files.readString(artifact.toPath());
        routes.remove(owner);
        installed.remove(owner);
        try {
            Set<String> ids = load(owner, xml);
            problems.remove(owner);
            LOG.info("Route file {} updated: routes {}", artifact.getName(), ids);
        } catch (Exception e) {
            Problem problem = problem(artifact, xml, e, previous != null);
            problems.put(owner, problem);
            if (previous != null) {
                try {
                    Set<String> ids = load(owner, previous);
                    LOG.error("Route file {} rejected{}: {}; its previous version keeps running (routes {})",
                            artifact.getName(), problem.where(), problem.message(), ids);
                    return;
                } catch (Exception again) {
                    problems.put(owner, new Problem(problem.file(), problem.message(), problem.line(),
                            problem.column(), problem.at(), false));
                    LOG.error("Route file {} rejected{}: {}; its previous version could not be restored: {}",
                            artifact.getName(), problem.where(), problem.message(), again.getMessage());
                }
            } else {
                LOG.error("Route file {} rejected{}: {}", artifact.getName(), problem.where(), problem.message());
            }
            throw e;
        }
    }

    @Override
    public void uninstall(File artifact) {
        String owner = owner(artifact);
        installed.remove(owner);
        lastGood.remove(owner);
        problems.remove(owner);
        var ids = routes.remove(owner);
        LOG.info("Route file {} removed: routes {}", artifact.getName(), ids);
    }

    private Set<String> load(String owner, String xml) throws Exception {
        Resource resource = ResourceHelper.fromString("file:" + owner, xml);
        RoutesBuilder builder = loader.loadRoutesBuilder(resource);
        Set<String> ids = routes.add(owner, builder);
        installed.add(owner);
        lastGood.put(owner, xml);
        return ids;
    }

    /** One key per file, the same instance every time (the routes are kept by owner identity). */
    private static String owner(File artifact) {
        return artifact.getAbsoluteFile().toPath().normalize().toString().intern();
    }

    private static final Pattern AT = Pattern.compile("@(\\d+):(\\d+)");
    private static final Pattern LINE = Pattern.compile("(?i)line[ :]*(\\d+)(?:\\D{1,12}col(?:umn)?[ :]*(\\d+))?");

    private static final Pattern UNEXPECTED =
            Pattern.compile("Unexpected (?:element|attribute) '(?:\\{[^}]*\\})?([\\w:.-]+)'");

    /**
     * What went wrong, with the line and column the XML parser gives (somewhere in the cause chain) or, for an
     * element Camel does not know (a typo), where that element first stands in the file.
     */
    static Problem problem(File artifact, String xml, Throwable e, boolean previousKept) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Integer line = null;
        Integer column = null;
        for (Throwable t = e; t != null && line == null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            Matcher at = AT.matcher(m);
            Matcher words = LINE.matcher(m);
            if (at.find()) {
                line = Integer.valueOf(at.group(1));
                column = Integer.valueOf(at.group(2));
            } else if (words.find()) {
                line = Integer.valueOf(words.group(1));
                column = words.group(2) == null ? null : Integer.valueOf(words.group(2));
            }
            if (line != null && t != e && t.getMessage() != null) {
                message = message + " (" + t.getMessage() + ")";
            }
        }
        Matcher unexpected = UNEXPECTED.matcher(message);
        if (line == null && xml != null && unexpected.find()) {
            Matcher use = Pattern.compile("<" + Pattern.quote(unexpected.group(1)) + "[\\s/>]|\\s"
                    + Pattern.quote(unexpected.group(1)) + "\\s*=").matcher(xml);
            if (use.find()) {
                String before = xml.substring(0, use.start());
                line = (int) before.chars().filter(c -> c == '\n').count() + 1;
                boolean attribute = Character.isWhitespace(xml.charAt(use.start()));
                column = use.start() - before.lastIndexOf('\n') + (attribute ? 1 : 0);
            }
        }
        return new Problem(artifact.getName(), message, line, column, Instant.now(), previousKept);
    }
}
