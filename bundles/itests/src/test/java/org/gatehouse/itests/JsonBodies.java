package org.gatehouse.itests;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading the API's JSON answers in tests, with Jackson; a missing value fails with the whole answer shown. */
public final class JsonBodies {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonBodies() {
    }

    public static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** The text at a JSON pointer such as {@code /resident/id}. */
    public static String text(String body, String pointer) {
        JsonNode node = parse(body).at(pointer);
        if (!node.isValueNode() || node.isNull()) {
            throw new AssertionError("no " + pointer + " in " + body);
        }
        return node.asText();
    }

    /** The number at a JSON pointer, or {@code missing} when the answer has none there. */
    public static long number(String body, String pointer, long missing) {
        JsonNode node = parse(body).at(pointer);
        return node.isNumber() ? node.asLong() : missing;
    }

    /** The field {@code name} of every element of a JSON array, each value once, in order. */
    public static List<String> each(String body, String name) {
        JsonNode array = parse(body);
        if (!array.isArray()) {
            throw new AssertionError("not a JSON array: " + body);
        }
        LinkedHashSet<String> values = new LinkedHashSet<>();
        array.forEach(element -> {
            if (element.hasNonNull(name)) {
                values.add(element.get(name).asText());
            }
        });
        return new ArrayList<>(values);
    }
}
