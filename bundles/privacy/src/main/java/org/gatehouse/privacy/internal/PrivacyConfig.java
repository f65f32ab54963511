package org.gatehouse.privacy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration pid {@code org.gatehouse.privacy}. Days ≤ 0 = that data type is kept (not purged). */
@ObjectClassDefinition(name = "Gatehouse privacy", description = "Retention, subject access, face template count")
public @interface PrivacyConfig {
    String PID = "org.gatehouse.privacy";

    @AttributeDefinition(description = "Days passages (通行记录) are kept")
    int passagesDays() default 180;

    @AttributeDefinition(description = "Days visitor registrations, passes and visitor faces are kept after the visit window")
    int visitorsDays() default 30;

    @AttributeDefinition(description = "Days the visitor log is kept")
    int visitLogDays() default 180;

    @AttributeDefinition(description = "Days closed alerts are kept")
    int alertsDays() default 365;

    @AttributeDefinition(description = "Days published outbox entries are kept")
    int publishedOutboxDays() default 7;

    @AttributeDefinition(description = "Hours between retention runs")
    int retentionPeriodHours() default 24;

    @AttributeDefinition(description = "Minutes after start of the first retention run")
    int retentionFirstDelayMinutes() default 5;

    @AttributeDefinition(description = "Retention reports kept in memory")
    int reportsKept() default 30;

    @AttributeDefinition(description = "Stored face templates at which filing is due (100 %)")
    long templateThreshold() default 100_000;

    @AttributeDefinition(description = "Percent of the threshold that raises a WARNING")
    int templateWarnPercent() default 90;

    @AttributeDefinition(description = "Minutes between template counts")
    int templateCheckMinutes() default 60;

    @AttributeDefinition(description = "Community (code or id) the quota alert is raised in; empty = the first community")
    String alertCommunity() default "";
}
