package org.gatehouse.recognition.internal.osgi;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * {@link RecognitionConfig} values outside an OSGi framework (tests, benchmarks): the annotation's own
 * defaults, optionally overridden by a map of PID keys. The annotation stays the one place where a setting
 * and its default are declared.
 */
public final class RecognitionConfigs {

    private static final RecognitionConfig DEFAULTS = of(Map.of());

    private RecognitionConfigs() {
    }

    /** Every setting at its metatype default. */
    public static RecognitionConfig defaults() {
        return DEFAULTS;
    }

    /** The given keys (values as in a .cfg file: strings, or already of the attribute's type), the rest defaults. */
    public static RecognitionConfig of(Map<String, ?> values) {
        return (RecognitionConfig) Proxy.newProxyInstance(RecognitionConfig.class.getClassLoader(),
                new Class<?>[] {RecognitionConfig.class}, (proxy, m, args) -> {
                    if (m.getDeclaringClass() == Object.class) {
                        return switch (m.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "RecognitionConfig" + values;
                        };
                    }
                    if (m.getName().equals("annotationType")) {
                        return RecognitionConfig.class;
                    }
                    Object v = values.get(m.getName());
                    return v == null ? m.getDefaultValue() : convert(m, v);
                });
    }

    private static Object convert(Method m, Object v) {
        Class<?> t = m.getReturnType();
        String s = String.valueOf(v).trim();
        if (t == String.class) {
            return String.valueOf(v);
        } else if (t == int.class) {
            return v instanceof Number n ? n.intValue() : Integer.parseInt(s);
        } else if (t == long.class) {
            return v instanceof Number n ? n.longValue() : Long.parseLong(s);
        } else if (t == float.class) {
            return v instanceof Number n ? n.floatValue() : Float.parseFloat(s);
        } else if (t == boolean.class) {
            return v instanceof Boolean b ? b : Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(m.getName() + ": unsupported type " + t);
    }
}
