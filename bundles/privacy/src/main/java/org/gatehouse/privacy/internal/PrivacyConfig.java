package org.gatehouse.privacy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration pid {@code org.gatehouse.privacy}. Days ≤ 0 = that data type is kept (not purged). */
@ObjectClassDefinition(name = "Gatehouse privacy", description = "Retention, subject access, face template count")
public @interface PrivacyConfig {
    String PID = "org.gatehouse.privacy";

    @AttributeDefinition(description = "Days passages (通行记录) are kept", min = "0")
    int passagesDays() default 180;

    @AttributeDefinition(description = "Days visitor registrations, passes and visitor faces are kept after the visit window", min = "0")
    int visitorsDays() default 30;

    @AttributeDefinition(description = "Days the visitor log is kept", min = "0")
    int visitLogDays() default 180;

    @AttributeDefinition(description = "Days closed alerts are kept", min = "0")
    int alertsDays() default 365;

    @AttributeDefinition(description = "Days published outbox entries are kept", min = "0")
    int publishedOutboxDays() default 7;

    @AttributeDefinition(description = "Hours between retention runs", min = "1", max = "8760")
    int retentionPeriodHours() default 24;

    @AttributeDefinition(description = "Minutes after start of the first retention run", min = "0", max = "1440")
    int retentionFirstDelayMinutes() default 5;

    @AttributeDefinition(description = "Retention reports kept in memory", min = "1", max = "1000")
    int reportsKept() default 30;

    @AttributeDefinition(description = "Stored face templates at which filing is due (100 %)", min = "1")
    long templateThreshold() default 100_000;

    @AttributeDefinition(description = "Percent of the threshold that raises a WARNING", min = "1", max = "100")
    int templateWarnPercent() default 90;

    @AttributeDefinition(description = "Minutes between template counts", min = "1", max = "1440")
    int templateCheckMinutes() default 60;

    @AttributeDefinition(description = "Community (code or id) the quota alert is raised in; empty = the first community")
    String alertCommunity() default "";
}
