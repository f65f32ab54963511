package org.gatehouse.welfare.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One community's welfare settings, a factory configuration {@code org.gatehouse.welfare.community}
 * ({@code etc/org.gatehouse.welfare.community-<name>.cfg}): who is told (in order), and what differs from the
 * defaults of {@link WelfareConfig}.
 */
@ObjectClassDefinition(name = "Gatehouse welfare: one community",
        description = "A community's welfare contacts and its own thresholds")
public @interface CommunityWelfareConfig {
    String FACTORY_PID = "org.gatehouse.welfare.community";

    @AttributeDefinition(description = "The community's id")
    String communityId();

    @AttributeDefinition(description = "Contacts in order, each role|name|channel address (e.g. "
            + "police|Officer Wang|mqtt:gatehouse/officer/wang); the first initialContacts are told when an alert "
            + "is raised, each escalation tells the next")
    String[] contacts() default {};

    @AttributeDefinition(description = "Hours without a passage before an alert; 0 = the default")
    int inactivityHours() default 0;

    @AttributeDefinition(description = "Per resident: residentId=hours, several separated by ';'")
    String[] residentHours() default {};

    @AttributeDefinition(description = "Quiet hours HH:mm-HH:mm; empty = the default, 'none' = no quiet hours")
    String quietHours() default "";

    @AttributeDefinition(description = "Time zone; empty = the default")
    String zone() default "";

    @AttributeDefinition(description = "Minutes before escalation; 0 = the default")
    int escalateAfterMinutes() default 0;
}
