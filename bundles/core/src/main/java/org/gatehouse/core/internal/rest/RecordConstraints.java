package org.gatehouse.core.internal.rest;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a record's constructor demands of each component, found by calling it: once with a harmless value for every
 * component, then with one component null (or blank) at a time. So a record's schema says what its constructor
 * validates without a second list to keep in step. A record whose constructor refuses the harmless values gets no
 * rules (its schema then only says the types).
 */
final class RecordConstraints {
    /** What the constructor does with one component. */
    enum Rule {
        /** null or blank text is refused ({@code Validation.requireText}). */
        REQUIRED_TEXT,
        /** null is refused. */
        REQUIRED,
        /** null is replaced by a default (e.g. "" or an empty list): optional when sent, never null when written. */
        DEFAULTED,
        /** null is kept: optional, and may be null when written. */
        NULLABLE,
        /** a primitive: always has a value. */
        PRIMITIVE
    }

    private static final int MAX_DEPTH = 8;
    /** Per class, without keeping a stopped bundle's classes alive. */
    private static final ClassValue<Map<String, Rule>> RULES = new ClassValue<>() {
        @Override
        protected Map<String, Rule> computeValue(Class<?> record) {
            return Map.copyOf(probe(record));
        }
    };

    private RecordConstraints() {
    }

    /** The rule of each component by name; empty when the constructor cannot be probed. */
    static Map<String, Rule> of(Class<?> record) {
        return record.isRecord() ? RULES.get(record) : Map.of();
    }

    private static Map<String, Rule> probe(Class<?> record) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        RecordComponent[] components = record.getRecordComponents();
        Object[] samples = samples(record, 0);
        if (samples == null || construct(record, samples) == null) {
            return rules;
        }
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            if (c.getType().isPrimitive()) {
                rules.put(c.getName(), Rule.PRIMITIVE);
                continue;
            }
            Object[] args = samples.clone();
            args[i] = null;
            Object built = construct(record, args);
            if (built == null) {
                args[i] = " ";
                boolean blankRefused = c.getType() == String.class && construct(record, args) == null;
                rules.put(c.getName(), blankRefused ? Rule.REQUIRED_TEXT : Rule.REQUIRED);
            } else {
                rules.put(c.getName(), value(c, built) == null ? Rule.NULLABLE : Rule.DEFAULTED);
            }
        }
        return rules;
    }

    /** A record built from harmless values (for a nested record's sample), or null. */
    private static Object sampleRecord(Class<?> record, int depth) {
        Object[] samples = samples(record, depth);
        return samples == null ? null : construct(record, samples);
    }

    private static Object[] samples(Class<?> record, int depth) {
        if (depth > MAX_DEPTH) {
            return null;
        }
        RecordComponent[] components = record.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = sample(components[i].getType(), depth);
        }
        return values;
    }

    private static Object sample(Class<?> type, int depth) {
        if (type == String.class) {
            return "x";
        } else if (type == boolean.class || type == Boolean.class) {
            return false;
        } else if (type == int.class || type == Integer.class) {
            return 0;
        } else if (type == long.class || type == Long.class) {
            return 0L;
        } else if (type == double.class || type == Double.class) {
            return 0.0;
        } else if (type == float.class || type == Float.class) {
            return 0.0f;
        } else if (type == short.class || type == Short.class) {
            return (short) 0;
        } else if (type == byte.class || type == Byte.class) {
            return (byte) 0;
        } else if (type == char.class || type == Character.class) {
            return 'x';
        } else if (type == Instant.class) {
            return Instant.EPOCH;
        } else if (type == LocalDate.class) {
            return LocalDate.EPOCH;
        } else if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return constants.length == 0 ? null : constants[0];
        } else if (type.isAssignableFrom(List.class)) {
            return List.of();
        } else if (type.isAssignableFrom(Set.class)) {
            return Set.of();
        } else if (type.isAssignableFrom(Map.class)) {
            return Map.of();
        } else if (type.isArray()) {
            return Array.newInstance(type.getComponentType(), 0);
        } else if (type.isRecord()) {
            return sampleRecord(type, depth + 1);
        }
        return null;
    }

    /** The record, or null when its constructor refused the values. */
    private static Object construct(Class<?> record, Object[] args) {
        try {
            Class<?>[] types = new Class<?>[args.length];
            RecordComponent[] components = record.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
            }
            Constructor<?> constructor = record.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException refused) {
            return null;
        } catch (ReflectiveOperationException | RuntimeException cannot) {
            return null; // not a canonical constructor we may call: no rules
        }
    }

    private static Object value(RecordComponent component, Object record) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
