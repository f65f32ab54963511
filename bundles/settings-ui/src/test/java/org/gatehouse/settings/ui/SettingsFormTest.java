package org.gatehouse.settings.ui;

import static org.gatehouse.settings.ui.Definitions.ocd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.gatehouse.settings.ui.Definitions.Ad;
import org.gatehouse.settings.ui.Definitions.Wrapped;
import org.gatehouse.settings.ui.SettingsForm.FieldSpec;
import org.gatehouse.settings.ui.SettingsForm.Kind;
import org.gatehouse.settings.ui.SettingsForm.Parsed;
import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/** Definitions become fields, the form's text becomes typed values, and secrets never come back out. */
class SettingsFormTest {
    private static ObjectClassDefinition gate() {
        return ocd("org.gatehouse.gate",
                new Ad("name", AttributeDefinition.STRING),
                new Ad("frameBytes", AttributeDefinition.INTEGER).min("1024").max("10000000").defaults("2000000"),
                new Ad("timeoutMillis", AttributeDefinition.LONG).defaults("5000"),
                new Ad("threshold", AttributeDefinition.DOUBLE).min("0").max("1").defaults("0.5"),
                new Ad("enabled", AttributeDefinition.BOOLEAN).defaults("true"),
                new Ad("detector", AttributeDefinition.STRING).options("scrfd", "yunet").defaults("scrfd"),
                new Ad("communities", AttributeDefinition.STRING).cardinality(Integer.MAX_VALUE).defaults(""),
                new Ad("ports", AttributeDefinition.INTEGER).cardinality(-3).optional(),
                new Ad("secret", AttributeDefinition.PASSWORD).defaults(""),
                new Ad("apiToken", AttributeDefinition.STRING).optional(),
                new Wrapped(new Ad("workers", AttributeDefinition.INTEGER).min("0").max("64").defaults("0")),
                new Ad("user", AttributeDefinition.STRING).optional());
    }

    private static Map<String, FieldSpec> byId(SettingsForm form) {
        return form.fields().stream().collect(Collectors.toMap(FieldSpec::id, Function.identity()));
    }

    private static Hashtable<String, Object> current() {
        Hashtable<String, Object> c = new Hashtable<>();
        c.put("service.pid", "org.gatehouse.gate");
        c.put("felix.fileinstall.filename", "file:/etc/org.gatehouse.gate.cfg");
        c.put("name", "North gate");
        c.put("frameBytes", "3000000");
        c.put("secret", "s3cr3t-value");
        c.put("apiToken", "tok-123");
        c.put("communities", new String[] {"C1", "C,2"});
        return c;
    }

    /** The form's text as the view would read it back unchanged. */
    private static Map<String, String> shown(SettingsForm form) {
        return form.fields().stream().collect(Collectors.toMap(FieldSpec::id, FieldSpec::value));
    }

    @Test
    void eachTypeGetsItsFieldWithTheCurrentValueOrTheDefault() {
        Map<String, FieldSpec> f = byId(new SettingsForm(gate(), current()));
        assertEquals(Kind.TEXT, f.get("name").kind());
        assertEquals("North gate", f.get("name").value());
        assertTrue(f.get("name").set());
        assertEquals(Kind.INTEGER, f.get("frameBytes").kind());
        assertEquals("3000000", f.get("frameBytes").value(), "the configuration's value, not the default");
        assertEquals("1024", f.get("frameBytes").min());
        assertEquals("10000000", f.get("frameBytes").max());
        assertEquals(Kind.LONG, f.get("timeoutMillis").kind());
        assertEquals("5000", f.get("timeoutMillis").value(), "the default while the configuration has none");
        assertFalse(f.get("timeoutMillis").set());
        assertEquals(Kind.DECIMAL, f.get("threshold").kind());
        assertEquals(Kind.BOOLEAN, f.get("enabled").kind());
        assertEquals(Kind.CHOICE, f.get("detector").kind());
        assertEquals("SCRFD", f.get("detector").options().get(0).label());
        assertEquals(Kind.LIST, f.get("communities").kind());
        assertEquals("C1, C\\,2", f.get("communities").value(), "a comma inside a value is escaped");
        assertEquals(Kind.LIST, f.get("ports").kind());
        assertFalse(f.get("ports").required());
        assertTrue(f.get("name").required());
        assertEquals("workers description", f.get("workers").description());
        assertEquals("0", f.get("workers").min(), "bounds of a definition wrapped as Felix metatype wraps them");
        assertEquals("64", f.get("workers").max());
        assertNull(f.get("name").min());
    }

    @Test
    void secretsAreNeverShown() {
        Map<String, FieldSpec> f = byId(new SettingsForm(gate(), current()));
        assertEquals(Kind.SECRET, f.get("secret").kind(), "a password type");
        assertEquals(Kind.SECRET, f.get("apiToken").kind(), "an id naming a token");
        assertEquals("", f.get("secret").value());
        assertEquals("", f.get("apiToken").value());
        assertTrue(f.get("secret").set(), "whether one is set may be said, not what it is");
        assertTrue(SettingsForm.isSecret(new Ad("trustStorePassword", AttributeDefinition.STRING)));
        assertTrue(SettingsForm.isSecret(new Ad("auditKey", AttributeDefinition.STRING)));
        assertFalse(SettingsForm.isSecret(new Ad("zone", AttributeDefinition.STRING)));
    }

    @Test
    void theFormReadBackUnchangedChangesNothingAndKeepsTheSecrets() {
        Hashtable<String, Object> now = current();
        SettingsForm form = new SettingsForm(gate(), now);
        Parsed parsed = form.parse(shown(form));
        assertTrue(parsed.ok(), parsed.errors().toString());
        assertFalse(parsed.values().containsKey("secret"), "an empty secret field leaves the secret alone");
        SettingsForm.Change change = form.change(parsed, false);
        assertEquals(List.of(), change.keys(), "\"3000000\" from a .cfg file is the Integer 3000000");
        assertEquals("s3cr3t-value", change.properties().get("secret"));
        assertEquals("tok-123", change.properties().get("apiToken"));
        assertEquals("file:/etc/org.gatehouse.gate.cfg", change.properties().get("felix.fileinstall.filename"));
        assertFalse(change.properties().containsKey("service.pid"), "ConfigurationAdmin sets that itself");
        assertFalse(change.properties().containsKey("timeoutMillis"), "an untouched default is not pinned");
    }

    @Test
    void valuesAreTypedAndOnlyTheChangedKeysCount() {
        SettingsForm form = new SettingsForm(gate(), current());
        Map<String, String> input = new java.util.HashMap<>(shown(form));
        input.put("frameBytes", "4096");
        input.put("timeoutMillis", "9000000000");
        input.put("enabled", "false");
        input.put("communities", "C1, C3\\,x , ");
        input.put("ports", "80,443");
        input.put("secret", "new secret");
        input.put("name", "");
        Parsed parsed = form.parse(input);
        assertEquals(Map.of("name", new SettingsForm.Problem("error.required", List.of())), parsed.errors(),
                "a required text without a default must be given");
        input.put("name", "  North gate  ");
        parsed = form.parse(input);
        assertTrue(parsed.ok(), parsed.errors().toString());
        assertEquals(4096, parsed.values().get("frameBytes"));
        assertEquals(9_000_000_000L, parsed.values().get("timeoutMillis"));
        assertEquals(Boolean.FALSE, parsed.values().get("enabled"));
        assertArrayEquals(new String[] {"C1", "C3,x"}, (String[]) parsed.values().get("communities"));
        assertEquals(List.of(80, 443), parsed.values().get("ports"), "a negative cardinality is a list");
        assertEquals("new secret", parsed.values().get("secret"), "a secret is taken as typed");
        SettingsForm.Change change = form.change(parsed, false);
        assertEquals(List.of("frameBytes", "timeoutMillis", "enabled", "communities", "ports", "secret"),
                change.keys());
    }

    @Test
    void emptyFieldsFollowWhatTheDefinitionSays() {
        SettingsForm form = new SettingsForm(gate(), current());
        Map<String, String> input = new java.util.HashMap<>(shown(form));
        input.put("communities", "");
        input.put("user", "");
        input.put("ports", "");
        input.put("apiToken", "");
        input.put("frameBytes", "");
        Parsed parsed = form.parse(input);
        assertEquals("error.required", parsed.errors().get("frameBytes").key(), "a number cannot be empty");
        input.put("frameBytes", "3000000");
        parsed = form.parse(input);
        assertTrue(parsed.ok());
        assertArrayEquals(new String[0], (String[]) parsed.values().get("communities"),
                "an empty list is a value where the definition has a default (\"empty = all\")");
        assertTrue(parsed.removed().contains("user"), "an optional attribute left empty goes back to its default");
        assertFalse(parsed.removed().contains("apiToken"), "an empty secret is left alone, not removed");
        SettingsForm.Change change = form.change(parsed, false);
        assertEquals(List.of("communities"), change.keys());
    }

    @Test
    void eachFieldGetsItsProblem() {
        Ad validated = new Ad("zone", AttributeDefinition.STRING).defaults("Asia/Shanghai")
                .validator(v -> v.contains("/") ? "" : "needs a region/city form, not " + v);
        Ad felixStyle = new Ad("mode", AttributeDefinition.STRING).defaults("a")
                .validator(v -> v.equals("b") ? "%invalid value" : "");
        Ad password = new Ad("password", AttributeDefinition.PASSWORD).optional()
                .validator(v -> v.length() < 8 ? "too short: " + v : "");
        SettingsForm form = new SettingsForm(ocd("org.gatehouse.x",
                new Ad("frameBytes", AttributeDefinition.INTEGER).min("1024").defaults("2048"),
                new Ad("threshold", AttributeDefinition.DOUBLE).min("0").max("1").defaults("0.5"),
                new Ad("count", AttributeDefinition.INTEGER).defaults("1"),
                new Ad("detector", AttributeDefinition.STRING).options("scrfd", "yunet").defaults("scrfd"),
                new Ad("two", AttributeDefinition.STRING).cardinality(2).defaults("a"),
                new Ad("flag", AttributeDefinition.BOOLEAN).defaults("true"),
                validated, felixStyle, password), null);
        Parsed parsed = form.parse(Map.of("frameBytes", "1000", "threshold", "1.5", "count", "many",
                "detector", "other", "two", "a,b,c", "flag", "yes", "zone", "Shanghai", "mode", "b",
                "password", "hunter2"));
        Map<String, String> keys = parsed.errors().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().key()));
        assertEquals(Map.of("frameBytes", "error.min", "threshold", "error.max", "count", "error.integer",
                "detector", "error.option", "two", "error.tooMany", "flag", "error.boolean",
                "zone", "error.definition", "mode", "error.invalid", "password", "error.invalid"), keys);
        assertEquals(List.of("1024"), parsed.errors().get("frameBytes").args());
        assertEquals(List.of("needs a region/city form, not Shanghai"), parsed.errors().get("zone").args());
        assertEquals(List.of(), parsed.errors().get("password").args(),
                "a secret's problem never repeats what was typed");
    }

    @Test
    void aNewInstanceWritesEveryValue() {
        SettingsForm form = new SettingsForm(ocd("org.gatehouse.integration.target",
                new Ad("name", AttributeDefinition.STRING),
                new Ad("timeoutSeconds", AttributeDefinition.INTEGER).defaults("10"),
                new Ad("secret", AttributeDefinition.PASSWORD).defaults("")), null);
        Parsed parsed = form.parse(Map.of("name", "crm", "timeoutSeconds", "10", "secret", ""));
        SettingsForm.Change change = form.change(parsed, true);
        assertEquals(List.of("name", "timeoutSeconds"), change.keys());
        assertEquals(10, change.properties().get("timeoutSeconds"));
        assertFalse(change.properties().containsKey("secret"));
    }

    @Test
    void listsSplitAndJoinWithEscapedCommas() {
        assertEquals(List.of("a", "b,c", "d\\e"), SettingsForm.split(" a ,b\\,c,, d\\\\e "));
        assertEquals("a, b\\,c", SettingsForm.text(List.of("a", "b,c")));
        assertEquals("1, 2", SettingsForm.text(new int[] {1, 2}));
    }
}
