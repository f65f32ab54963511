package org.gatehouse.screening.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The temperature check (PID {@code org.gatehouse.screening.temperature}, {@code etc/…screening.temperature.cfg}). */
@ObjectClassDefinition(name = "Gatehouse screening: temperature (体温)",
        description = "Body temperature read by the terminal, held against a limit; per community off, soft (allow and "
                + "flag) or hard (deny), before or after identity")
public @interface TemperatureConfig {
    String PID = "org.gatehouse.screening.temperature";

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

    @AttributeDefinition(description = "Fever above this body temperature in °C (36.0–39.0; out of range or not a "
            + "number: 37.3 is used and logged)", min = "36.0", max = "39.0")
    double limitCelsius() default TemperatureCheck.DEFAULT_LIMIT;
}
