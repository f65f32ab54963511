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
}
