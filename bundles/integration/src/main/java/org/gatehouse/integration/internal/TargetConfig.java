package org.gatehouse.integration.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One feed target, a factory configuration {@code org.gatehouse.integration.target}
 * ({@code etc/org.gatehouse.integration.target-<name>.cfg}). Read by {@link TargetSpec#parse}, which says clearly what
 * is wrong with a malformed one (the target then shows the error in its status and runs nothing).
 */
@ObjectClassDefinition(name = "Gatehouse integration: one feed target",
        description = "A webhook, a daily CSV drop or an MQTT topic fed from the gatehouse: streams")
public @interface TargetConfig {
    String FACTORY_PID = "org.gatehouse.integration.target";

    @AttributeDefinition(description = "The target's name (letters, digits, '-', '_'): in route ids, file names, status")
    String name();

    @AttributeDefinition(description = "webhook, csv or mqtt")
    String kind();

    @AttributeDefinition(description = "Streams fed: population-changes, alerts, passages-summary; none = no feed "
            + "(a webhook only notifications use, e.g. residentNotifyTarget)")
    String[] streams() default {"population-changes"};

    @AttributeDefinition(description = "Community ids fed; empty = all")
    String[] communities() default {};

    @AttributeDefinition(description = "Fields of the event sent (dotted paths such as person.name); empty = all the "
            + "stream gives (csv: the documented default columns)")
    String[] fields() default {};

    @AttributeDefinition(description = "Where a new target starts: now, oldest, or an ISO-8601 instant")
    String startAt() default "now";

    @AttributeDefinition(description = "webhook: the URL (http or https) to POST to")
    String url() default "";

    @AttributeDefinition(description = "webhook: the HMAC-SHA256 secret", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String secret() default "";

    @AttributeDefinition(description = "webhook: a file holding the secret (instead of secret)")
    String secretFile() default "";

    @AttributeDefinition(description = "webhook and mqtt: seconds to connect and to answer")
    int timeoutSeconds() default 10;

    @AttributeDefinition(description = "csv: the folder of the daily files")
    String directory() default "";

    @AttributeDefinition(description = "csv and passages-summary: time zone of the day and the hour")
    String zone() default "Asia/Shanghai";

    @AttributeDefinition(description = "mqtt: tcp://host:port or ssl://host:port")
    String brokerUrl() default "";

    @AttributeDefinition(description = "mqtt: topic, {community} is replaced by the community id")
    String topic() default "gatehouse/{community}/events";

    @AttributeDefinition(description = "mqtt: client id; empty = gatehouse-<name>")
    String clientId() default "";

    @AttributeDefinition(description = "mqtt: user name")
    String username() default "";

    @AttributeDefinition(description = "mqtt: password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(description = "mqtt: a file holding the password")
    String passwordFile() default "";

    @AttributeDefinition(description = "webhook over https:// and mqtt over ssl://: the file of the CA certificates "
            + "trusted for the receiver's or broker's certificate (only these; empty = the JVM's trusted CAs). The "
            + "certificate and its host name are always checked")
    String trustStore() default "";

    @AttributeDefinition(description = "webhook over https:// and mqtt over ssl://: password of the trustStore "
            + "(PKCS12, JKS; not needed for PEM)", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String trustStorePassword() default "";

    @AttributeDefinition(description = "webhook over https:// and mqtt over ssl://: type of the trustStore: PKCS12, "
            + "JKS, or PEM (one or more -----BEGIN CERTIFICATE----- blocks, e.g. the broker's ca.crt)")
    String trustStoreType() default "PKCS12";

    @AttributeDefinition(description = "passages-summary: minutes per summary period (60 = hourly)")
    int summaryMinutes() default 60;

    @AttributeDefinition(description = "passages-summary: minutes after a period's end before it is sent")
    int summaryGraceMinutes() default 5;
}
