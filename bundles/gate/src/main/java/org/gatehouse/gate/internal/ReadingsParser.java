package org.gatehouse.gate.internal;

import java.util.Base64;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.gatehouse.core.api.Refusal;
import org.gatehouse.gate.api.Readings;

/**
 * A terminal's readings, strictly: {@code temperatureCelsius} a JSON number a person can have (a string, or 80 °C, is
 * refused rather than coerced), {@code maskOn} a JSON boolean, {@code idCardPhoto} base64. Unknown fields are ignored.
 * 400 {@code READINGS_MALFORMED}, 422 {@code READING_OUT_OF_RANGE}.
 */
public final class ReadingsParser {
    public static final double MIN_CELSIUS = 30.0;
    public static final double MAX_CELSIUS = 45.0;
    /** Largest ID card chip photo (they are a few kB). */
    static final int MAX_ID_PHOTO_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReadingsParser() {
    }

    public static Readings parse(String json) {
        if (json == null || json.isBlank()) {
            return Readings.NONE;
        }
        try {
            return parse(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw malformed("not JSON");
        }
    }

    public static Readings parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Readings.NONE;
        }
        if (!node.isObject()) {
            throw malformed("an object is required");
        }
        Double temperature = null;
        JsonNode t = node.get("temperatureCelsius");
        if (t != null && !t.isNull()) {
            if (!t.isNumber()) {
                throw malformed("temperatureCelsius must be a number");
            }
            temperature = t.doubleValue();
            if (!(temperature >= MIN_CELSIUS && temperature <= MAX_CELSIUS)) {
                throw Messages.MESSAGES.refusal(422, "READING_OUT_OF_RANGE", "readings.outOfRange",
                        DecisionCodec.number(temperature), MIN_CELSIUS, MAX_CELSIUS);
            }
        }
        Boolean mask = null;
        JsonNode m = node.get("maskOn");
        if (m != null && !m.isNull()) {
            if (!m.isBoolean()) {
                throw malformed("maskOn must be true or false");
            }
            mask = m.booleanValue();
        }
        byte[] photo = null;
        JsonNode p = node.get("idCardPhoto");
        if (p != null && !p.isNull()) {
            if (!p.isTextual()) {
                throw malformed("idCardPhoto must be base64 text");
            }
            try {
                photo = Base64.getDecoder().decode(p.textValue().replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw malformed("idCardPhoto must be base64 text");
            }
            if (photo.length > MAX_ID_PHOTO_BYTES) {
                throw malformed("idCardPhoto is larger than " + MAX_ID_PHOTO_BYTES + " bytes");
            }
        }
        return new Readings(temperature, mask, photo);
    }

    private static Refusal malformed(String what) {
        return Messages.MESSAGES.refusal(400, "READINGS_MALFORMED", "readings.malformed", what);
    }
}
