package org.gatehouse.portal.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One JSON object of an API answer ({@link PortalSession#call}), read without ceremony: a missing field reads as
 * empty text, zero or an empty list, never as an exception in a screen.
 */
public record Doc(Map<String, Object> fields) {
    public Doc {
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(fields);
    }

    /** {@code value} as a Doc when it is a JSON object, else an empty one. */
    @SuppressWarnings("unchecked")
    public static Doc of(Object value) {
        return new Doc(value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    }

    /** {@code value} (a JSON array of objects) as Docs; anything else as an empty list. */
    public static List<Doc> list(Object value) {
        List<Doc> docs = new ArrayList<>();
        if (value instanceof List<?> l) {
            for (Object o : l) {
                docs.add(of(o));
            }
        }
        return docs;
    }

    public Object get(String name) {
        return fields.get(name);
    }

    public boolean has(String name) {
        return fields.get(name) != null;
    }

    /** The field as text ({@code ""} when missing or null). */
    public String text(String name) {
        Object v = fields.get(name);
        return v == null ? "" : String.valueOf(v);
    }

    public long number(String name) {
        Object v = fields.get(name);
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return v == null ? 0 : Long.parseLong(String.valueOf(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public double decimal(String name) {
        Object v = fields.get(name);
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    public boolean flag(String name) {
        return Boolean.TRUE.equals(fields.get(name));
    }

    public Doc doc(String name) {
        return of(fields.get(name));
    }

    public List<Doc> docs(String name) {
        return list(fields.get(name));
    }

    /** A JSON array of strings (or values) as text. */
    public List<String> texts(String name) {
        List<String> out = new ArrayList<>();
        if (fields.get(name) instanceof List<?> l) {
            for (Object o : l) {
                out.add(String.valueOf(o));
            }
        }
        return out;
    }
}
