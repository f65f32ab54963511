package org.gatehouse.welfare.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration pid {@code org.gatehouse.welfare} ({@code etc/org.gatehouse.welfare.cfg}): the defaults of every
 * community; a community's own settings and its contact list are a factory configuration
 * {@link CommunityWelfareConfig}. The one place a default lives.
 */
@ObjectClassDefinition(name = "Gatehouse welfare",
        description = "Inactivity watch of residents with a care flag, idle flats and sublease signs")
public @interface WelfareConfig {
    String PID = "org.gatehouse.welfare";

    @AttributeDefinition(description = "Minutes between scheduled checks (as of now); 0 = only on demand", min = "0")
    int checkMinutes() default 15;

    @AttributeDefinition(description = "Hours without a passage after which a watched resident raises an alert",
            min = "1")
    int inactivityHours() default 24;

    @AttributeDefinition(description = "Care flags that put a resident under the inactivity watch (LIVES_ALONE, "
            + "NEEDS_ATTENTION)")
    String[] watchedFlags() default {"LIVES_ALONE", "NEEDS_ATTENTION"};

    @AttributeDefinition(description = "Quiet hours HH:mm-HH:mm in the community's time zone: an alert or escalation "
            + "due then is raised at their end; empty = none")
    String quietHours() default "23:00-07:00";

    @AttributeDefinition(description = "Time zone of the communities (quiet hours, ages)")
    String zone() default "Asia/Shanghai";

    @AttributeDefinition(description = "Minutes after which an alert nobody acknowledged goes to the next contact",
            min = "1")
    int escalateAfterMinutes() default 60;

    @AttributeDefinition(description = "How many contacts of the list are told when an alert is raised (the first "
            + "ones: e.g. the police officer and the property staff)", min = "1")
    int initialContacts() default 2;

    @AttributeDefinition(description = "Days without a passage by any member after which a flat is idle", min = "1")
    int idleDays() default 30;

    @AttributeDefinition(description = "Days registered tenants must be unseen before sublease signs count",
            min = "1")
    int subleaseAbsentDays() default 30;

    @AttributeDefinition(description = "Visitor registrations of the same person for the flat (in subleaseAbsentDays) "
            + "that are a sign", min = "2")
    int subleaseRepeatVisits() default 3;

    @AttributeDefinition(description = "One-click opens by the flat's residents (in subleaseAbsentDays) that are a "
            + "sign while nobody of the flat passes in person", min = "1")
    int subleaseRemoteOpens() default 5;

    @AttributeDefinition(description = "Entries of unknown faces at the doors of the flat's building (in "
            + "subleaseAbsentDays) that are a sign", min = "1")
    int subleaseUnknownEntries() default 20;
}
