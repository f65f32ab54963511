package org.gatehouse.store.internal;

/** The store configuration as plain values (tests build it directly; DS builds it from {@link StoreConfig}). */
public record StoreSettings(String url, String user, String password, int maxConnections) {
    /** A blank {@code url} is {@link StoreConfig#url()}'s default. */
    public StoreSettings {
        if (url == null || url.isBlank()) {
            url = (String) defaultOf("url");
        }
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url must be a jdbc:h2: or jdbc:postgresql: URL");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    public static StoreSettings from(StoreConfig config) {
        return new StoreSettings(config.url(), config.user(), config.password(), config.maxConnections());
    }

    public boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /**
     * The URL to connect with: ${karaf.data} resolved; connect/socket timeouts added for PostgreSQL. For H2,
     * old chunks are kept for 1 s instead of 45 unless the URL says otherwise: every write is synced to the
     * device before it is answered (see {@code GroupSync}), so the long retention that guards against
     * unflushed file-system buffers is not needed, and with a sync per few commits it made the file grow by
     * hundreds of megabytes under load.
     */
    public String jdbcUrl() {
        String resolved = url.replace("${karaf.data}", System.getProperty("karaf.data", "./data"));
        if (!postgres() && !resolved.toUpperCase(java.util.Locale.ROOT).contains(";RETENTION_TIME=")) {
            resolved = resolved + ";RETENTION_TIME=1000";
        }
        if (postgres()) {
            resolved = withParam(resolved, "connectTimeout", "3");
            resolved = withParam(resolved, "loginTimeout", "5");
            resolved = withParam(resolved, "socketTimeout", "60");
        }
        return resolved;
    }

    /** The URL without credentials, for health reports and logs. */
    public String safeUrl() {
        return jdbcUrl().replaceAll("(?i)([;?&])(user|password)=[^;&]*", "")
                .replaceAll("//[^/@]*@", "//");
    }

    /**
     * The file a {@link StoreConfig} attribute names: {@code configured}, blank = the attribute's default, with
     * {@code ${karaf.etc}} resolved ({@code ./etc} when the property is unset).
     */
    public static java.nio.file.Path etcFile(String configured, String attribute) {
        String etc = System.getProperty("karaf.etc", "./etc");
        String file = configured == null || configured.isBlank() ? (String) defaultOf(attribute) : configured.strip();
        return java.nio.file.Path.of(file.replace("${karaf.etc}", etc));
    }

    /** The default of a {@link StoreConfig} attribute, read from the annotation (declared there and nowhere else). */
    public static Object defaultOf(String attribute) {
        try {
            return StoreConfig.class.getMethod(attribute).getDefaultValue();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("StoreConfig has no attribute " + attribute, e);
        }
    }

    private static String withParam(String url, String name, String value) {
        if (url.contains(name + "=")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + name + "=" + value;
    }
}
