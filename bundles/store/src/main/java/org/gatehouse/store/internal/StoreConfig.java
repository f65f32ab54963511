package org.gatehouse.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the store, pid {@code org.gatehouse.store} (etc/org.gatehouse.store.cfg). */
@ObjectClassDefinition(id = CayenneStore.PID, name = "Gatehouse store",
        description = "Database of Gatehouse: embedded H2 under Karaf's data directory by default, PostgreSQL when the URL is jdbc:postgresql://...")
public @interface StoreConfig {
    @AttributeDefinition(name = "JDBC URL",
            description = "${karaf.data} is replaced by Karaf's data directory (./data when unset)")
    String url() default StoreSettings.DEFAULT_URL;

    @AttributeDefinition(name = "User", required = false)
    String user() default "sa";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
    String password() default "";

    @AttributeDefinition(name = "Maximum connections", min = "1")
    int maxConnections() default 8;

    @AttributeDefinition(name = "Template keystore", required = false,
            description = "PKCS12 keystore holding the AES keys (aliases template-key-N) that seal face templates; "
                    + "blank = ${karaf.etc}/gatehouse-keys.p12 (./etc when karaf.etc is unset). "
                    + "Created with a random key on first start, only while the database holds no template and no "
                    + "template key check; otherwise a missing or other keystore stops the faces module")
    String keystorePath() default "";

    @AttributeDefinition(name = "Keystore password", type = AttributeType.PASSWORD, required = false,
            description = "Blank = read gatehouse-keys.password next to the keystore (generated, owner-only, on "
                    + "first start). Set it here in production and delete that file")
    String keystorePassword() default "";

    @AttributeDefinition(name = "Audit key", required = false,
            description = "File of the 32-byte HMAC key that chains the audit log; blank = "
                    + "${karaf.etc}/gatehouse-audit.key (./etc when karaf.etc is unset). Created owner-only on first "
                    + "start; refused, never re-created, while the audit log is chained with a key. Back it up")
    String auditKeyFile() default "";
}
