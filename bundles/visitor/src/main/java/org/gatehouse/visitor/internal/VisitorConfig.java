package org.gatehouse.visitor.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration pid {@code org.gatehouse.visitor} ({@code etc/org.gatehouse.visitor.cfg}). The one place a setting's
 * default lives; the throttle raises a value below its {@code min} to it ({@link CheckLockouts#settings}).
 */
@ObjectClassDefinition(name = "Gatehouse visitors",
        description = "Visitor registration, temporary passes, visitor log and one-click open")
public @interface VisitorConfig {
    String PID = "org.gatehouse.visitor";

    @AttributeDefinition(description = "File holding the 32-byte HMAC key for pass codes and visitors' ID card "
            + "numbers; empty = ${karaf.etc}/gatehouse-visitor.key (created owner-only on first start; never re-created "
            + "while the database holds what it made: a missing or other key stops the module)")
    String keyFile() default "";

    @AttributeDefinition(description = "Uses of a pass when the request names none (at most maxUsesLimit)", min = "1")
    int defaultMaxUses() default 2;

    @AttributeDefinition(description = "Most uses a pass may be given", min = "1")
    int maxUsesLimit() default 20;

    @AttributeDefinition(description = "Longest expected visit window, in hours", min = "1")
    int maxWindowHours() default 72;

    @AttributeDefinition(description = "Minutes between sweeps that close visits whose window (or every pass) "
            + "ended and forget their faces; 0 = no sweep", min = "0")
    int sweepMinutes() default 5;

    @AttributeDefinition(description = "Most visitors examined per community and status in one sweep", min = "1")
    int sweepBatch() default 5000;

    @AttributeDefinition(description = "Refused pass checks from one gate terminal (or one staff caller, or one gate "
            + "name through the Java API) within checkFailureWindowMinutes that lock its checks out", min = "1")
    int checkMaxFailures() default 5;

    @AttributeDefinition(description = "Window, in minutes, in which refused pass checks are counted", min = "1")
    int checkFailureWindowMinutes() default 15;

    @AttributeDefinition(description = "First lockout, in seconds; each further lockout in a row doubles it", min = "1")
    int checkLockoutSeconds() default 60;

    @AttributeDefinition(description = "Longest lockout, in minutes (a lockout stops doubling there; below the first "
            + "lockout it is the first lockout); a terminal with no refused check for a day starts again from "
            + "checkLockoutSeconds", min = "1")
    int checkMaxLockoutMinutes() default 60;
}
