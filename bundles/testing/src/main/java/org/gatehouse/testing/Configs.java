package org.gatehouse.testing;

import java.util.Map;

import org.osgi.util.converter.Converters;

/**
 * Component configurations for tests, built the way Declarative Services builds them: a map of the properties the
 * test sets, converted by the OSGi converter to the configuration annotation; every attribute the map leaves out
 * has the annotation's (metatype) default. So a test never repeats a default by hand.
 * <pre>{@code StoreConfig config = Configs.of(StoreConfig.class, Map.of("maxConnections", 2));}</pre>
 */
public final class Configs {
    private Configs() {
    }

    /** {@code type} (a configuration annotation or interface) with {@code properties} set, defaults elsewhere. */
    public static <T> T of(Class<T> type, Map<String, ?> properties) {
        return Converters.standardConverter().convert(properties).to(type);
    }

    /** {@code type} with every attribute at its default. */
    public static <T> T defaults(Class<T> type) {
        return of(type, Map.of());
    }
}
