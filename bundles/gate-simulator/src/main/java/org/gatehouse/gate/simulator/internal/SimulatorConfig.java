package org.gatehouse.gate.simulator.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.gatehouse.gate.simulator.cfg}: the run that starts by itself (the demo's), and defaults of the shell's runs. */
@ObjectClassDefinition(name = "Gatehouse gate simulator",
        description = "Plays face photos (or cards and pass codes) as cameras of a community through the gate")
public @interface SimulatorConfig {
    String PID = "org.gatehouse.gate.simulator";

    @AttributeDefinition(description = "Run continuously from start (the demo); off outside the demo")
    boolean enabled() default false;

    @AttributeDefinition(description = "Community code or id of the continuous run")
    String community() default "SUNSHINE";

    @AttributeDefinition(description = "Device id or gate name to simulate; blank = every device of the community, in turn")
    String device() default "";

    @AttributeDefinition(description = "Presentations per second (all devices together), above 0, at most 500")
    double rate() default 0.5;

    @AttributeDefinition(description = "Folder of JPEG face photos (residents in it or in residents/, people not"
            + " enrolled in strangers/); blank = no faces, cards and pass codes only")
    String folder() default "";

    @AttributeDefinition(description = "Share of strangers, 0..1")
    double strangers() default 0.2;

    @AttributeDefinition(description = "Share of visitors (pass codes), 0..1")
    double visitors() default 0.1;

    @AttributeDefinition(description = "Share with fever (37.6-39.0 °C), 0..1")
    double fever() default 0.05;

    @AttributeDefinition(description = "Share without a mask, 0..1")
    double noMask() default 0.1;

    @AttributeDefinition(description = "Share of residents who show their card although a photo of them is there, 0..1")
    double cards() default 0.1;

    @AttributeDefinition(description = "Card numbers issued to residents, comma separated; blank = cards nobody issued")
    String residentCards() default "";

    @AttributeDefinition(description = "Valid visitor pass codes or QR payloads, comma separated; blank = codes nobody issued")
    String passCodes() default "";

    @AttributeDefinition(description = "Seed of the random choices; 0 = a new one each run")
    long seed() default 0;
}
