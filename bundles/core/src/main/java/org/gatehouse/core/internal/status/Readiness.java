package org.gatehouse.core.internal.status;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Whether every installed Gatehouse module is up, so that "ready" means a client can use every route
 * the installed features bring: Karaf has finished installing its boot features, every bundle of every
 * installed {@code gatehouse*} feature is active, and every component of the Gatehouse bundles among them
 * has its services (none waits for a reference or failed to activate). What is still missing is named,
 * for the health answer and the status command. Outside Karaf (no features service) the Gatehouse
 * bundles present are taken as the installed modules.
 */
@Component(service = Readiness.class)
public class Readiness {
    static final String GATEHOUSE_BUNDLES = "org.gatehouse.";
    static final String GATEHOUSE_MODULES = "org.gatehouse.gatehouse-";
    static final String GATEHOUSE_FEATURES = "gatehouse";
    static final String BOOT_FINISHED = "org.apache.karaf.features.BootFinished";

    public record Report(boolean ready, List<String> waitingFor) {
    }

    private final BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime scr;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile FeaturesService features;

    @Activate
    public Readiness(BundleContext context) {
        this.context = context;
    }

    Readiness(BundleContext context, ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    public Report check() {
        List<String> waiting = new ArrayList<>();
        if (context.getProperty("karaf.home") != null && context.getServiceReference(BOOT_FINISHED) == null) {
            waiting.add("Karaf is still installing its boot features");
        }
        List<Bundle> bundles = new ArrayList<>();
        for (Bundle b : moduleBundles(waiting)) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            if (b.getState() != Bundle.ACTIVE) {
                waiting.add("bundle " + b.getSymbolicName() + " is " + state(b.getState()));
            } else if (b.getSymbolicName() != null && b.getSymbolicName().startsWith(GATEHOUSE_BUNDLES)) {
                bundles.add(b);
            }
        }
        ServiceComponentRuntime runtime = scr;
        if (runtime == null) {
            waiting.add("the Declarative Services runtime is not running");
        } else if (!bundles.isEmpty()) {
            for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(bundles.toArray(new Bundle[0]))) {
                if (!runtime.isComponentEnabled(description)) {
                    continue;
                }
                for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(description)) {
                    if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                        waiting.add("component " + description.name + " waits for "
                                + Arrays.stream(c.unsatisfiedReferences).map(r -> r.name
                                        + (r.target == null ? "" : " " + r.target)).collect(Collectors.joining(", ")));
                    } else if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        waiting.add("component " + description.name + " failed to activate: " + reason(c.failure));
                    }
                }
            }
        }
        return new Report(waiting.isEmpty(), List.copyOf(waiting));
    }

    /** The bundles of the installed gatehouse features (all of them: theirs and the third-party ones they bring). */
    private Set<Bundle> moduleBundles(List<String> waiting) {
        Map<String, Bundle> byLocation = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            byLocation.put(b.getLocation(), b);
        }
        Set<Bundle> result = new LinkedHashSet<>();
        FeaturesService service = features;
        Feature[] installed = null;
        if (service != null) {
            try {
                installed = service.listInstalledFeatures();
            } catch (Exception e) {
                waiting.add("the installed features cannot be listed: " + e.getMessage());
                return result;
            }
        }
        if (installed == null) {
            for (Bundle b : context.getBundles()) {
                if (b.getSymbolicName() != null && b.getSymbolicName().startsWith(GATEHOUSE_MODULES)) {
                    result.add(b);
                }
            }
            return result;
        }
        for (Feature feature : installed) {
            if (!feature.getName().startsWith(GATEHOUSE_FEATURES)) {
                continue;
            }
            for (BundleInfo info : feature.getBundles()) {
                Bundle b = byLocation.get(info.getLocation());
                if (b == null && !info.isDependency()) {
                    waiting.add("feature " + feature.getName() + ": " + info.getLocation() + " is not installed");
                } else if (b != null) {
                    result.add(b);
                }
            }
        }
        return result;
    }

    /**
     * What a failed activation says, in one line: SCR keeps the whole stack trace; the deepest "Caused by" (or the
     * first line) carries the component's own message, e.g. which key file is missing and what to do.
     */
    static String reason(String failure) {
        if (failure == null || failure.isBlank()) {
            return "(no reason given)";
        }
        String reason = null;
        for (String line : failure.split("\\R")) {
            if (reason == null && !line.isBlank()) {
                reason = line.strip();
            }
            if (line.startsWith("Caused by: ")) {
                reason = line.substring("Caused by: ".length()).strip();
            }
        }
        return reason == null ? failure.strip() : reason.replaceFirst("^[\\w.$]+(Exception|Error): ", "");
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "installed (not resolved)";
            case Bundle.RESOLVED -> "resolved (not started)";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "in state " + state;
        };
    }
}
