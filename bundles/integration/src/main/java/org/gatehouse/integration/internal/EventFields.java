package org.gatehouse.integration.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gatehouse.api.json.ApiJson;

/**
 * Which fields of an event a target sends. Fields are dotted paths into the event's JSON ({@code type},
 * {@code person.name}, {@code flat.number}); none configured = the whole event. The CSV drop flattens the same paths
 * into columns.
 */
public final class EventFields {
    static final ObjectMapper JSON = ApiJson.lenient();

    /** The CSV columns when a csv target lists no fields (after eventId, stream, communityId): see the README. */
    public static final List<String> DEFAULT_CSV_COLUMNS = List.of("type", "occurredAt", "raisedAt", "severity",
            "status", "subjectId", "residentId", "householdId", "unitId", "person.name", "person.role",
            "flat.buildingCode", "flat.number", "detail", "message", "deviceId", "verdict", "periodStart", "periodEnd",
            "count");

    private EventFields() {
    }

    /** The event reduced to {@code fields} (nested as in the event); all of it when {@code fields} is empty. */
    public static ObjectNode select(JsonNode event, List<String> fields) {
        if (fields.isEmpty()) {
            return event.deepCopy();
        }
        ObjectNode out = JSON.createObjectNode();
        if (event.has("id")) {
            out.set("id", event.get("id")); // the idempotency key always goes along
        }
        for (String field : fields) {
            JsonNode value = at(event, field);
            if (value == null) {
                continue;
            }
            String[] parts = field.split("\\.");
            ObjectNode parent = out;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = parent.get(parts[i]);
                parent = child instanceof ObjectNode o ? o : parent.putObject(parts[i]);
            }
            parent.set(parts[parts.length - 1], value.deepCopy());
        }
        return out;
    }

    /** The value at a dotted path, or null when absent. */
    public static JsonNode at(JsonNode event, String path) {
        JsonNode node = event;
        for (String part : path.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        return node;
    }

    /** A column's text: a value as it is, an object or list as compact JSON, null or absent as empty. */
    public static String text(JsonNode event, String path) {
        JsonNode v = at(event, path);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isValueNode()) {
            return v.asText();
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.isValueNode() ? i.asText() : i.toString()));
            return String.join("; ", items);
        }
        return v.toString();
    }

    /** Every leaf path of an event, in order (for a README or a test). */
    public static List<String> leaves(JsonNode event) {
        List<String> out = new ArrayList<>();
        collect("", event, out);
        return out;
    }

    private static void collect(String prefix, JsonNode node, List<String> out) {
        if (!node.isObject()) {
            out.add(prefix);
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            collect(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
        }
    }
}
