package org.gatehouse.integration.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.gatehouse.integration.cfg}: what is not per target. */
@ObjectClassDefinition(name = "Gatehouse integration",
        description = "Notifications of welfare alerts, and of visitors waiting at the gate to the host residents")
public @interface IntegrationConfig {
    String PID = "org.gatehouse.integration";

    @AttributeDefinition(description = "The mqtt target that publishes notifications to mqtt:<topic> channels; "
            + "empty = such channels are not served")
    String notifyMqttTarget() default "";

    @AttributeDefinition(description = "Alert types sent to the contacts' channels")
    String[] notifyTypes() default {"WELFARE_INACTIVITY"};

    @AttributeDefinition(description = "Where notifications start when first installed: now, oldest or an instant")
    String notifyStartAt() default "now";

    @AttributeDefinition(description = "The webhook target that receives the residents' notifications of a visitor "
            + "waiting for their household (VISITOR_WAITING, VISITOR_WAITING_CLOSED), one signed POST per resident; "
            + "empty = residents are not notified")
    String residentNotifyTarget() default "";
}
