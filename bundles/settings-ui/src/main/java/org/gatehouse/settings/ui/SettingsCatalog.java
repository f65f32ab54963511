package org.gatehouse.settings.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/** The Gatehouse modules' configurations as their metatype declares them (no Vaadin). */
final class SettingsCatalog {
    /** Bundles whose configurations are listed. */
    static final String PREFIX = "org.gatehouse.";

    /** One configuration: a PID or a factory PID of a module, with its definition's name and description. */
    record Definition(String module, long bundleId, String pid, boolean factory, String name, String description) {
    }

    private SettingsCatalog() {
    }

    /** Every Gatehouse bundle's PIDs and factory PIDs, by module and name. */
    static List<Definition> list(Bundle[] bundles, MetaTypeService metatype, String locale) {
        List<Definition> out = new ArrayList<>();
        for (Bundle bundle : bundles) {
            String name = bundle.getSymbolicName();
            if (name == null || !name.startsWith(PREFIX) || bundle.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            MetaTypeInformation info;
            try {
                info = metatype.getMetaTypeInformation(bundle);
            } catch (RuntimeException e) {
                continue;
            }
            if (info == null) {
                continue;
            }
            String module = module(bundle);
            add(out, module, bundle, info, info.getPids(), false, locale);
            add(out, module, bundle, info, info.getFactoryPids(), true, locale);
        }
        out.sort(Comparator.comparing(Definition::module).thenComparing(Definition::name)
                .thenComparing(Definition::pid));
        return out;
    }

    private static void add(List<Definition> out, String module, Bundle bundle, MetaTypeInformation info,
                            String[] pids, boolean factory, String locale) {
        if (pids == null) {
            return;
        }
        for (String pid : pids) {
            ObjectClassDefinition ocd = definition(info, pid, locale);
            if (ocd != null) {
                out.add(new Definition(module, bundle.getBundleId(), pid, factory,
                        ocd.getName() == null || ocd.getName().isBlank() ? pid : ocd.getName(),
                        ocd.getDescription() == null ? "" : ocd.getDescription()));
            }
        }
    }

    /** The definition of {@code pid} in {@code locale} (the default texts when there are none in it). */
    static ObjectClassDefinition definition(MetaTypeInformation info, String pid, String locale) {
        try {
            return info.getObjectClassDefinition(pid, locale);
        } catch (RuntimeException e) {
            try {
                return info.getObjectClassDefinition(pid, null);
            } catch (RuntimeException again) {
                return null;
            }
        }
    }

    /** The module's name: the bundle's name without the "Gatehouse :: " all of them start with. */
    static String module(Bundle bundle) {
        String name = bundle.getHeaders("").get(Constants.BUNDLE_NAME);
        if (name == null || name.isBlank()) {
            return bundle.getSymbolicName();
        }
        return name.startsWith("Gatehouse :: ") ? name.substring("Gatehouse :: ".length()) : name;
    }
}
