package org.gatehouse.screening.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The mask (口罩) check (PID {@code org.gatehouse.screening.mask}, {@code etc/…screening.mask.cfg}). */
@ObjectClassDefinition(name = "Gatehouse screening: mask (口罩)",
        description = "Whether the terminal saw a mask (a mask is required wherever the check is not OFF); per "
                + "community off, soft (allow and flag) or hard (deny), before or after identity")
public @interface MaskConfig {
    String PID = "org.gatehouse.screening.mask";

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
