package org.gatehouse.screening.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The ID card vs live face (人证比对) check (PID {@code org.gatehouse.screening.idcard},
 * {@code etc/…screening.idcard.cfg}).
 */
@ObjectClassDefinition(name = "Gatehouse screening: ID card vs live face (人证比对)",
        description = "1:1 of the ID card chip photo against the live face with the recognition engine, at the "
                + "engine's 1:1 threshold; per community off, soft (allow and flag) or hard (deny), before or after "
                + "identity")
public @interface IdCardConfig {
    String PID = "org.gatehouse.screening.idcard";

    @AttributeDefinition(description = "Mode in communities without an entry of their own (OFF, SOFT, HARD); an "
            + "unknown value counts as SOFT and is logged", options = {
            @Option(label = "off", value = "OFF"), @Option(label = "soft: allow and flag", value = "SOFT"),
            @Option(label = "hard: deny", value = "HARD")})
    String defaultMode() default "OFF";

    @AttributeDefinition(description = "When the check runs in communities without an entry of their own: before "
            + "identity (a hard failure denies without identifying) or after", options = {
            @Option(label = "before identity", value = "before"), @Option(label = "after identity", value = "after")})
    String defaultStage() default "after";

    @AttributeDefinition(description = "Per community: <communityId>=<OFF|SOFT|HARD>[:before|after], several "
            + "separated by ';' (e.g. c-123=HARD;c-456=SOFT:before)")
    String[] communities() default {};
}
