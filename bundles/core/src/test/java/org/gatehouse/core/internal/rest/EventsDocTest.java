package org.gatehouse.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gatehouse.api.json.ApiJson;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.stream.Streams;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/events.md} honest: every ```json example there reads into its stream's record with the strict
 * reader, is valid against the schema {@code /api/openapi.json} serves, and is the record as it is published (every
 * field the record writes is in it). So a field added to an event record names the examples to update. And the
 * OpenAPI document describes each stream: its event's schema, its headers, its delivery.
 */
class EventsDocTest {
    private static final Path PAGE = Path.of("../../docs/events.md");
    /** Per stream, the field every value of which needs an example on the page (a JSON pointer into the event). */
    private static final Map<String, String> ONE_EXAMPLE_PER_VALUE_OF = Map.of(
            Streams.PASSAGES, "/decision/verdict",
            Streams.POPULATION_CHANGES, "/type",
            Streams.ALERTS, "/type",
            Streams.CREDENTIAL_CHANGES, "/change");
    private static final ObjectMapper STRICT = ApiJson.strict();

    record Example(String stream, int line, String json) {
        String where() {
            return "docs/events.md line " + line + " (" + stream + ")";
        }
    }

    private static final ObjectNode DOC = OpenApiDocument.build(List.of(), "1");
    private static final JsonNode SCHEMAS = DOC.path("components").path("schemas");

    @Test
    void everyExampleReadsStrictlyIsValidAndComplete() throws IOException {
        List<Example> examples = examples();
        List<String> problems = new ArrayList<>();
        for (Example example : examples) {
            Class<? extends Record> type = Streams.EVENT_TYPES.get(example.stream());
            JsonNode tree;
            Object event;
            try {
                tree = STRICT.readTree(example.json());
                event = STRICT.readValue(example.json(), type);
            } catch (IOException | RuntimeException e) {
                problems.add(example.where() + ": not a " + type.getSimpleName() + " for the strict reader: "
                        + e.getMessage());
                continue;
            }
            List<String> errors = new ArrayList<>();
            validate(tree, schemaRef(type), "", errors);
            errors.forEach(e -> problems.add(example.where() + ": " + e));
            JsonNode written = STRICT.valueToTree(event);
            Set<String> lacking = new TreeSet<>();
            written.fieldNames().forEachRemaining(f -> {
                if (!tree.has(f)) {
                    lacking.add(f);
                }
            });
            if (!lacking.isEmpty()) {
                problems.add(example.where() + ": lacks " + lacking + ", which " + type.getSimpleName()
                        + " writes: add them to the example");
            } else if (!written.equals((a, b) -> a.isNumber() && b.isNumber()
                    ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1, tree)) {
                problems.add(example.where() + ": is not what " + type.getSimpleName() + " writes for it: "
                        + written);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyStreamHasAnExampleOfEachKind() throws IOException {
        List<Example> examples = examples();
        List<String> missing = new ArrayList<>();
        for (String stream : Streams.ALL) {
            String pointer = ONE_EXAMPLE_PER_VALUE_OF.get(stream);
            assertTrue(pointer != null, "which field of " + stream + " needs one example per value?");
            Set<String> values = new LinkedHashSet<>();
            schemaAt(schemaRef(Streams.EVENT_TYPES.get(stream)), pointer).path("enum")
                    .forEach(v -> values.add(v.asText()));
            assertFalse(values.isEmpty(), stream + pointer + " is not an enum in the schema");
            for (Example example : examples) {
                if (example.stream().equals(stream)) {
                    values.remove(STRICT.readTree(example.json()).at(pointer).asText());
                }
            }
            values.forEach(v -> missing.add(stream + ": no example with " + pointer + " = " + v));
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }

    @Test
    void openApiDescribesEachStreamsEventHeadersAndDelivery() {
        JsonNode streams = DOC.path(EventSchemas.EXTENSION);
        assertEquals(Streams.ALL, fieldNames(streams), DOC.toPrettyString());
        for (Map.Entry<String, Class<? extends Record>> e : Streams.EVENT_TYPES.entrySet()) {
            JsonNode s = streams.path(e.getKey());
            String name = e.getValue().getSimpleName();
            assertEquals("#/components/schemas/" + name, s.at("/event/$ref").asText(), e.getKey());
            assertTrue(SCHEMAS.path(name).path("properties").isObject(), name);
            assertEquals(Streams.uri(e.getKey()), s.path("uri").asText());
            assertFalse(s.path("description").asText().isBlank(), e.getKey());
            assertFalse(s.path("publishedBy").asText().isBlank(), e.getKey());
            Set<String> headers = new LinkedHashSet<>();
            for (JsonNode h : s.path("headers")) {
                headers.add(h.path("name").asText());
                assertEquals("string", h.at("/schema/type").asText());
                assertFalse(h.path("description").asText().isBlank());
            }
            assertEquals(Set.of(Streams.HEADER_EVENT_ID, Streams.HEADER_COMMUNITY_ID, Streams.HEADER_STREAM), headers);
            assertEquals("at-least-once", s.at("/delivery/guarantee").asText());
            assertEquals(Streams.HEADER_EVENT_ID, s.at("/delivery/idempotencyKey").asText());
            // every component of the record, also of nested records, is in its schema
            assertComponentsDescribed(e.getValue());
        }
    }

    @Test
    void schemasSayWhatTheConstructorsDemand() {
        JsonNode passage = SCHEMAS.path("PassageEvent");
        assertEquals(List.of("id", "communityId", "deviceId", "occurredAt", "direction", "subjectType", "decision"),
                texts(passage.path("required")));
        assertEquals("\\S", passage.at("/properties/id/pattern").asText()); // requireText: not blank
        assertEquals("date-time", passage.at("/properties/occurredAt/format").asText());
        assertTrue(passage.at("/properties/subjectId/nullable").asBoolean());
        assertEquals("#/components/schemas/AccessDecision", passage.at("/properties/decision/$ref").asText());
        assertEquals(List.of("verdict"), texts(SCHEMAS.at("/AccessDecision/required")));
        assertEquals("number", SCHEMAS.at("/AccessDecision/properties/scores/additionalProperties/type").asText());
        assertEquals(List.of("ALLOW", "DENY"), texts(SCHEMAS.at("/AccessDecision/properties/verdict/enum")));

        JsonNode alert = SCHEMAS.path(Alert.class.getSimpleName());
        assertTrue(texts(alert.path("required")).containsAll(List.of("id", "communityId", "type", "raisedAt")));
        // defaulted by the constructor: optional, and never null when written
        assertFalse(texts(alert.path("required")).contains("message"));
        assertFalse(alert.at("/properties/message/nullable").asBoolean());
        assertEquals("#/components/schemas/Acknowledgement", alert.at("/properties/acknowledgements/items/$ref").asText());

        JsonNode change = SCHEMAS.path(CredentialChange.class.getSimpleName());
        assertEquals(List.of("ISSUED", "REVOKED", "FACE_DELETED"), texts(change.at("/properties/change/enum")));
        assertTrue(change.at("/properties/credentialId/nullable").asBoolean());

        JsonNode population = SCHEMAS.path("PopulationChange");
        assertTrue(texts(population.path("required")).containsAll(List.of("id", "communityId", "type", "occurredAt")));

        ObjectNode schemas = new ObjectMapper().createObjectNode();
        OpenApiDocument.ref(Resident.class, schemas);
        assertEquals("date", schemas.at("/Resident/properties/birthDate/format").asText());
    }

    @Test
    void theValidatorRefusesWhatItShould() {
        ObjectNode ok = STRICT.valueToTree(new PassageEvent("p1", "c1", "d1", java.time.Instant.EPOCH,
                org.gatehouse.api.model.Direction.IN, org.gatehouse.api.model.SubjectType.UNKNOWN, null, null,
                new org.gatehouse.api.model.AccessDecision(org.gatehouse.api.model.Verdict.DENY, null, null)));
        JsonNode schema = schemaRef(PassageEvent.class);
        assertEquals(List.of(), errors(ok, schema));
        assertEquals(1, errors(ok.deepCopy().put("colour", "red"), schema).size());
        assertEquals(1, errors(ok.deepCopy().put("direction", "SIDEWAYS"), schema).size());
        assertEquals(1, errors(ok.deepCopy().put("occurredAt", "yesterday"), schema).size());
        assertEquals(1, errors(ok.deepCopy().put("id", " "), schema).size());
        ObjectNode noDevice = ok.deepCopy();
        noDevice.remove("deviceId");
        assertEquals(1, errors(noDevice, schema).size());
        assertEquals(1, errors(ok.deepCopy().putNull("decision"), schema).size());
        ObjectNode badScore = ok.deepCopy();
        ((ObjectNode) badScore.path("decision").path("scores")).put("face", "high");
        assertEquals(1, errors(badScore, schema).size());
    }

    private static List<String> errors(JsonNode value, JsonNode schema) {
        List<String> errors = new ArrayList<>();
        validate(value, schema, "", errors);
        return errors;
    }

    /** The ```json blocks of the page, each under the `gatehouse:<stream>` heading it is in. */
    static List<Example> examples() throws IOException {
        List<String> lines = Files.readAllLines(PAGE, StandardCharsets.UTF_8);
        List<Example> examples = new ArrayList<>();
        String stream = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                stream = null;
                for (String s : Streams.ALL) {
                    if (line.contains("`" + Streams.uri(s) + "`")) {
                        stream = s;
                    }
                }
            } else if (line.trim().equals("```json")) {
                int start = i + 1;
                StringBuilder json = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
                    json.append(lines.get(i)).append('\n');
                }
                assertTrue(stream != null, "docs/events.md line " + start + ": a json example outside the section of"
                        + " a stream (## `gatehouse:<stream>`)");
                examples.add(new Example(stream, start, json.toString()));
            }
        }
        for (String s : Streams.ALL) {
            assertTrue(examples.stream().anyMatch(e -> e.stream().equals(s)), "no example of " + s);
        }
        return examples;
    }

    private static JsonNode schemaRef(Class<?> type) {
        return new ObjectMapper().createObjectNode().put("$ref", "#/components/schemas/" + type.getSimpleName());
    }

    private static JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref")) {
            String name = schema.path("$ref").asText().substring("#/components/schemas/".length());
            assertTrue(SCHEMAS.has(name), "no schema " + name);
            schema = SCHEMAS.path(name);
        }
        if (schema.has("allOf") && schema.path("allOf").size() == 1) {
            return resolve(schema.path("allOf").get(0));
        }
        return schema;
    }

    /** The schema of the field a JSON pointer names (properties only). */
    private static JsonNode schemaAt(JsonNode schema, String pointer) {
        JsonNode s = resolve(schema);
        for (String step : pointer.substring(1).split("/")) {
            s = resolve(s.path("properties").path(step));
        }
        return s;
    }

    /**
     * The OpenAPI 3.0 schema subset the document uses: $ref, allOf, nullable, type, properties (closed: a property
     * the schema does not list is an error), required, additionalProperties, items, enum, format date-time and date,
     * pattern.
     */
    static void validate(JsonNode value, JsonNode schema, String at, List<String> errors) {
        String where = at.isEmpty() ? "the event" : at;
        boolean nullable = schema.path("nullable").asBoolean(false);
        schema = resolve(schema);
        nullable |= schema.path("nullable").asBoolean(false);
        if (value.isNull()) {
            if (!nullable) {
                errors.add(where + " is null, the schema does not allow it");
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    errors.add(where + " is not an object: " + value);
                    return;
                }
                JsonNode properties = schema.get("properties");
                for (JsonNode required : schema.path("required")) {
                    if (!value.has(required.asText())) {
                        errors.add(at + "/" + required.asText() + " is required and missing");
                    }
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    String fieldAt = at + "/" + field.getKey();
                    if (properties != null && properties.has(field.getKey())) {
                        validate(field.getValue(), properties.get(field.getKey()), fieldAt, errors);
                    } else if (schema.path("additionalProperties").isObject()) {
                        validate(field.getValue(), schema.get("additionalProperties"), fieldAt, errors);
                    } else {
                        errors.add(fieldAt + " is not a property of the schema");
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    errors.add(where + " is not an array: " + value);
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    validate(value.get(i), schema.path("items"), at + "/" + i, errors);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    errors.add(where + " is not a string: " + value);
                    return;
                }
                String text = value.asText();
                if (schema.has("enum") && !texts(schema.get("enum")).contains(text)) {
                    errors.add(where + " = " + text + " is not one of " + schema.get("enum"));
                }
                if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
                    errors.add(where + " = \"" + text + "\" does not match " + schema.get("pattern").asText());
                }
                try {
                    switch (schema.path("format").asText("")) {
                        case "date-time" -> OffsetDateTime.parse(text);
                        case "date" -> LocalDate.parse(text);
                        default -> {
                        }
                    }
                } catch (DateTimeParseException e) {
                    errors.add(where + " = " + text + " is not a " + schema.path("format").asText());
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    errors.add(where + " is not an integer: " + value);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    errors.add(where + " is not a number: " + value);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    errors.add(where + " is not a boolean: " + value);
                }
            }
            default -> errors.add(where + ": the schema has no type the test knows: " + schema);
        }
    }

    private static void assertComponentsDescribed(Class<?> record) {
        JsonNode schema = resolve(schemaRef(record));
        for (var c : record.getRecordComponents()) {
            assertTrue(schema.path("properties").has(c.getName()), record.getSimpleName() + "." + c.getName());
            if (c.getType().isRecord() && c.getType() != record) {
                assertComponentsDescribed(c.getType());
            }
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(v -> texts.add(v.asText()));
        return texts;
    }
}
