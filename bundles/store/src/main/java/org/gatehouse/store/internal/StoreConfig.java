package org.gatehouse.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the store, pid {@code org.gatehouse.store} (etc/org.gatehouse.store.cfg, which shows these defaults
 * as comments). The one place the settings and their defaults are declared: a blank value in the configuration
 * means the default here too ({@link StoreSettings#defaultOf}).
 */
@ObjectClassDefinition(id = CayenneStore.PID, name = "Gatehouse store",
        description = "Database of Gatehouse: embedded H2 under Karaf's data directory by default, PostgreSQL when the URL is jdbc:postgresql://...")
public @interface StoreConfig {
    @AttributeDefinition(name = "JDBC URL",
            description = "jdbc:h2:... or jdbc:postgresql://host:port/db; ${karaf.data} is replaced by Karaf's data "
                    + "directory (./data when unset); blank = the default, an embedded H2 file database")
    String url() default "jdbc:h2:file:${karaf.data}/gatehouse/gatehouse;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
            + "DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=FALSE";

    @AttributeDefinition(name = "User", required = false,
            description = "Database user; the embedded H2 database of the distribution was created with none (blank)")
    String user() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
    String password() default "";

    @AttributeDefinition(name = "Maximum connections", min = "1", max = "500",
            description = "Size of the connection pool; a caller waits at most 3 s for a pooled connection")
    int maxConnections() default 8;

    @AttributeDefinition(name = "Template keystore", required = false,
            description = "PKCS12 keystore holding the AES keys (aliases template-key-N) that seal face templates; "
                    + "${karaf.etc} is Karaf's etc directory (./etc when unset); blank = the default. "
                    + "Created with a random key on first start, only while the database holds no template and no "
                    + "template key check; otherwise a missing or other keystore stops the faces module")
    String keystorePath() default "${karaf.etc}/gatehouse-keys.p12";

    @AttributeDefinition(name = "Keystore password", type = AttributeType.PASSWORD, required = false,
            description = "Blank = read gatehouse-keys.password next to the keystore (generated, owner-only, on "
                    + "first start). Set it here in production and delete that file")
    String keystorePassword() default "";

    @AttributeDefinition(name = "Audit key", required = false,
            description = "File of the 32-byte HMAC key that chains the audit log; ${karaf.etc} is Karaf's etc "
                    + "directory (./etc when unset); blank = the default. Created owner-only on first "
                    + "start; refused, never re-created, while the audit log is chained with a key. Back it up")
    String auditKeyFile() default "${karaf.etc}/gatehouse-audit.key";
}
