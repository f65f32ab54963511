package org.gatehouse.settings.ui;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.List;

import org.gatehouse.api.service.AuditLog;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Reads and writes the configurations through ConfigurationAdmin (no Vaadin). A change is written only after the
 * audit log has recorded it ({@code settings.update}, the PID and the changed keys, never a value): acknowledged
 * means recorded. Locations are never bound ({@code "?"}), so the module's bundle keeps receiving its configuration.
 */
final class SettingsWriter {
    static final String ACTION = "settings.update";
    static final String FAILED = "settings.update.failed";
    /** Where configurations are created: any bundle may receive them. */
    static final String ANY_LOCATION = "?";

    /** Which configuration: a PID, an instance of a factory PID, or a new instance ({@code pid} null). */
    record Target(String pid, String factoryPid) {
        static Target single(String pid) {
            return new Target(pid, null);
        }

        static Target instance(String pid, String factoryPid) {
            return new Target(pid, factoryPid);
        }

        static Target create(String factoryPid) {
            return new Target(null, factoryPid);
        }

        boolean creating() {
            return pid == null;
        }
    }

    /**
     * What a save did: saved (the configuration's PID and the changed keys) or refused with a text key of the
     * screen and, for a failure, what went wrong.
     */
    record Outcome(boolean saved, String problem, String detail, String pid, List<String> keys) {
        static Outcome refused(String problem) {
            return new Outcome(false, problem, "", null, List.of());
        }

        static Outcome failed(String problem, Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(false, problem, message, null, List.of());
        }
    }

    private final ConfigurationAdmin configs;
    private final AuditLog audit;

    SettingsWriter(ConfigurationAdmin configs, AuditLog audit) {
        this.configs = configs;
        this.audit = audit;
    }

    /** The properties of configuration {@code pid} now, {@code null} when it has none. */
    Dictionary<String, Object> properties(String pid) throws IOException, InvalidSyntaxException {
        Configuration c = find(pid);
        return c == null ? null : c.getProperties();
    }

    /** The instances of {@code factoryPid}, by PID. */
    List<Configuration> instances(String factoryPid) throws IOException, InvalidSyntaxException {
        Configuration[] found = configs.listConfigurations("(service.factoryPid=" + filterValue(factoryPid) + ")");
        List<Configuration> out = new ArrayList<>(found == null ? List.of() : Arrays.asList(found));
        out.sort(Comparator.comparing(Configuration::getPid));
        return out;
    }

    /** The configuration {@code pid} if it exists (never creates one). */
    Configuration find(String pid) throws IOException, InvalidSyntaxException {
        Configuration[] found = configs.listConfigurations("(service.pid=" + filterValue(pid) + ")");
        return found == null || found.length == 0 ? null : found[0];
    }

    /**
     * Writes what the form changed, audited first.
     *
     * @param actor who saves (the portal user)
     */
    Outcome save(String actor, Target target, SettingsForm form, SettingsForm.Parsed parsed) {
        if (configs == null) {
            return Outcome.refused("save.noConfigAdmin");
        }
        if (audit == null) {
            return Outcome.refused("save.noAudit");
        }
        if (!parsed.ok()) {
            return Outcome.refused("save.invalid");
        }
        Configuration existing = null;
        try {
            if (!target.creating()) {
                existing = find(target.pid());
                if (existing == null && target.factoryPid() != null) {
                    return Outcome.refused("save.gone");
                }
            }
            SettingsForm.Change change = form.change(parsed, existing == null ? null : existing.getProperties(),
                    target.creating());
            if (change.keys().isEmpty()) {
                return Outcome.refused("save.nothing");
            }
            Configuration config = target.creating()
                    ? configs.createFactoryConfiguration(target.factoryPid(), ANY_LOCATION)
                    : existing != null ? existing : configs.getConfiguration(target.pid(), ANY_LOCATION);
            String detail = detail(config.getPid(), target, change.keys());
            try {
                audit.append(actor, ACTION, null, config.getPid(), detail);
            } catch (RuntimeException e) {
                discard(target, config);
                return Outcome.failed("save.auditFailed", e);
            }
            try {
                config.update(change.properties());
            } catch (IOException | RuntimeException e) {
                try {
                    audit.append(actor, FAILED, null, config.getPid(), detail + "; error=" + e.getClass().getSimpleName());
                } catch (RuntimeException ignored) {
                    // the failure is shown to the user; the first entry already names the attempt
                }
                discard(target, config);
                return Outcome.failed("save.failed", e);
            }
            return new Outcome(true, null, "", config.getPid(), change.keys());
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            return Outcome.failed("save.failed", e);
        }
    }

    /** A new instance the save gave up on is deleted again (it never had properties). */
    private static void discard(Target target, Configuration config) {
        if (target.creating()) {
            try {
                config.delete();
            } catch (IOException | RuntimeException ignored) {
                // it has no properties: no component was configured by it
            }
        }
    }

    /** The audit entry's detail: PIDs and keys, never a value. */
    static String detail(String pid, Target target, List<String> keys) {
        StringBuilder b = new StringBuilder("pid=").append(pid);
        if (target.factoryPid() != null) {
            b.append("; factoryPid=").append(target.factoryPid());
        }
        if (target.creating()) {
            b.append("; new");
        }
        return b.append("; keys=").append(String.join(",", keys)).toString();
    }

    /** A value for an LDAP filter: {@code \ * ( )} escaped. */
    static String filterValue(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
