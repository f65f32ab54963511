package org.gatehouse.settings.ui;

import static org.gatehouse.settings.ui.Definitions.ocd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.Scope;
import org.gatehouse.settings.ui.Definitions.Ad;
import org.gatehouse.settings.ui.SettingsWriter.Outcome;
import org.gatehouse.settings.ui.SettingsWriter.Target;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/** A change is written only once the audit log has it, with the PID and the keys, never a value. */
class SettingsWriterTest {
    /** ConfigurationAdmin in memory: configurations by PID, and the locations asked for. */
    static final class Configs {
        final Map<String, Dictionary<String, Object>> properties = new LinkedHashMap<>();
        final Map<String, String> factories = new LinkedHashMap<>();
        final List<String> locations = new ArrayList<>();
        final List<String> deleted = new ArrayList<>();
        int created;

        ConfigurationAdmin admin() {
            return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getConfiguration" -> {
                            locations.add((String) args[1]);
                            yield config((String) args[0]);
                        }
                        case "createFactoryConfiguration" -> {
                            locations.add((String) args[1]);
                            String pid = args[0] + "." + (++created);
                            factories.put(pid, (String) args[0]);
                            yield config(pid);
                        }
                        case "listConfigurations" -> list((String) args[0]);
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        private Configuration[] list(String filter) {
            Matcher m = Pattern.compile("\\((service\\.pid|service\\.factoryPid)=(.*)\\)").matcher(filter);
            assertTrue(m.matches(), filter);
            List<Configuration> out = new ArrayList<>();
            properties.forEach((pid, p) -> {
                if (m.group(1).equals("service.pid") ? pid.equals(m.group(2))
                        : m.group(2).equals(factories.get(pid))) {
                    out.add(config(pid));
                }
            });
            return out.isEmpty() ? null : out.toArray(Configuration[]::new);
        }

        Configuration config(String pid) {
            return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getPid" -> pid;
                        case "getFactoryPid" -> factories.get(pid);
                        case "getProperties" -> properties.get(pid);
                        case "update" -> {
                            @SuppressWarnings("unchecked")
                            Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                            properties.put(pid, d);
                            yield null;
                        }
                        case "delete" -> {
                            deleted.add(pid);
                            properties.remove(pid);
                            yield null;
                        }
                        case "hashCode" -> pid.hashCode();
                        case "equals" -> proxy == args[0];
                        case "toString" -> "Configuration " + pid;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    /** An audit log that keeps its entries, or refuses to. */
    static final class Audit implements AuditLog {
        final List<AuditEntry> entries = new ArrayList<>();
        boolean broken;

        @Override
        public AuditEntry append(String actor, String action, String communityId, String subjectId, String detail) {
            if (broken) {
                throw new IllegalStateException("database down");
            }
            AuditEntry e = new AuditEntry(entries.size() + 1, Instant.now(), actor, action, communityId, subjectId,
                    detail, "", "");
            entries.add(e);
            return e;
        }

        @Override
        public List<AuditEntry> entries(Scope scope, String communityId, Instant from, Instant to, int limit) {
            return entries;
        }

        @Override
        public List<AuditEntry> entriesAbout(Scope scope, String subjectId, long afterSequence, int limit) {
            return List.of();
        }

        @Override
        public Verification verify() {
            return new Verification(true, entries.size(), -1, null);
        }
    }

    private static ObjectClassDefinition gate() {
        return ocd("gate", new Ad("offlineSeconds", AttributeDefinition.INTEGER).min("0").defaults("60"),
                new Ad("password", AttributeDefinition.PASSWORD).optional());
    }

    @Test
    void aChangeIsAuditedThenWrittenWithoutBindingTheLocation() throws Exception {
        Configs configs = new Configs();
        Hashtable<String, Object> now = new Hashtable<>(Map.of("offlineSeconds", "60", "password", "old-pw",
                "felix.fileinstall.filename", "file:/etc/org.gatehouse.gate.cfg"));
        configs.properties.put("org.gatehouse.gate", now);
        Audit audit = new Audit();
        SettingsWriter writer = new SettingsWriter(configs.admin(), audit);
        SettingsForm form = new SettingsForm(gate(), writer.properties("org.gatehouse.gate"));
        SettingsForm.Parsed parsed = form.parse(Map.of("offlineSeconds", "120", "password", "new-pw"));

        Outcome outcome = writer.save("admin", Target.single("org.gatehouse.gate"), form, parsed);

        assertTrue(outcome.saved(), String.valueOf(outcome));
        assertEquals(List.of("offlineSeconds", "password"), outcome.keys());
        assertEquals(1, audit.entries.size());
        AuditLog.AuditEntry entry = audit.entries.get(0);
        assertEquals("settings.update", entry.action());
        assertEquals("admin", entry.actor());
        assertEquals("org.gatehouse.gate", entry.subjectId());
        assertEquals("pid=org.gatehouse.gate; keys=offlineSeconds,password", entry.detail());
        assertFalse(entry.detail().contains("new-pw") || entry.detail().contains("old-pw"), "never a secret");
        Dictionary<String, Object> written = configs.properties.get("org.gatehouse.gate");
        assertEquals(120, written.get("offlineSeconds"));
        assertEquals("new-pw", written.get("password"));
        assertEquals("file:/etc/org.gatehouse.gate.cfg", written.get("felix.fileinstall.filename"));
    }

    @Test
    void whatTheAuditLogCannotRecordIsNotSaved() throws Exception {
        Configs configs = new Configs();
        configs.properties.put("org.gatehouse.gate", new Hashtable<>(Map.of("offlineSeconds", "60")));
        Audit audit = new Audit();
        audit.broken = true;
        SettingsWriter writer = new SettingsWriter(configs.admin(), audit);
        SettingsForm form = new SettingsForm(gate(), writer.properties("org.gatehouse.gate"));
        SettingsForm.Parsed parsed = form.parse(Map.of("offlineSeconds", "120"));

        Outcome outcome = writer.save("admin", Target.single("org.gatehouse.gate"), form, parsed);
        assertFalse(outcome.saved());
        assertEquals("save.auditFailed", outcome.problem());
        assertEquals("60", configs.properties.get("org.gatehouse.gate").get("offlineSeconds"));

        Outcome created = writer.save("admin", Target.create("org.gatehouse.integration.target"),
                new SettingsForm(gate(), null), parsed);
        assertEquals("save.auditFailed", created.problem());
        assertEquals(List.of("org.gatehouse.integration.target.1"), configs.deleted,
                "the new instance is deleted again");

        Outcome noLog = new SettingsWriter(configs.admin(), null).save("admin", Target.single("org.gatehouse.gate"),
                form, parsed);
        assertEquals("save.noAudit", noLog.problem());
        assertEquals("60", configs.properties.get("org.gatehouse.gate").get("offlineSeconds"));
    }

    @Test
    void aNewFactoryInstanceIsCreatedForAnyLocation() throws Exception {
        Configs configs = new Configs();
        Audit audit = new Audit();
        SettingsWriter writer = new SettingsWriter(configs.admin(), audit);
        SettingsForm form = new SettingsForm(gate(), null);
        Outcome outcome = writer.save("admin", Target.create("org.gatehouse.integration.target"), form,
                form.parse(Map.of("offlineSeconds", "60")));
        assertTrue(outcome.saved(), String.valueOf(outcome));
        assertEquals(List.of("?"), configs.locations);
        assertEquals("pid=org.gatehouse.integration.target.1; factoryPid=org.gatehouse.integration.target; new; "
                + "keys=offlineSeconds", audit.entries.get(0).detail());
        assertEquals(1, writer.instances("org.gatehouse.integration.target").size());
        assertEquals(60, configs.properties.get("org.gatehouse.integration.target.1").get("offlineSeconds"));
    }

    @Test
    void nothingChangedIsNeitherAuditedNorWritten() throws Exception {
        Configs configs = new Configs();
        Audit audit = new Audit();
        SettingsWriter writer = new SettingsWriter(configs.admin(), audit);
        SettingsForm form = new SettingsForm(gate(), null);
        Outcome outcome = writer.save("admin", Target.single("org.gatehouse.gate"), form,
                form.parse(Map.of("offlineSeconds", "60")));
        assertEquals("save.nothing", outcome.problem());
        assertTrue(audit.entries.isEmpty());
        assertTrue(configs.locations.isEmpty(), "no configuration was even asked for");
        assertNull(writer.properties("org.gatehouse.gate"));

        Outcome gone = writer.save("admin", Target.instance("org.gatehouse.integration.target.9",
                "org.gatehouse.integration.target"), form, form.parse(Map.of("offlineSeconds", "61")));
        assertEquals("save.gone", gone.problem());
    }

    @Test
    void filterValuesAreEscaped() {
        assertEquals("a\\(b\\)\\*\\\\", SettingsWriter.filterValue("a(b)*\\"));
    }
}
