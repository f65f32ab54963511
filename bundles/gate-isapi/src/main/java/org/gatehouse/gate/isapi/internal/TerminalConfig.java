package org.gatehouse.gate.isapi.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One ISAPI terminal: factory PID {@code org.gatehouse.gate.isapi.terminal}, e.g. {@code etc/org.gatehouse.gate.isapi.terminal-gate1.cfg}. */
@ObjectClassDefinition(name = "Gatehouse ISAPI terminal", description = "One Hikvision-ISAPI-style access terminal")
public @interface TerminalConfig {
    @AttributeDefinition(description = "The Gatehouse device id of this terminal (from the device list)")
    String deviceId();

    @AttributeDefinition(description = "Base URL of the terminal, e.g. http://192.168.1.64")
    String baseUrl();

    @AttributeDefinition(description = "ISAPI user")
    String user() default "admin";

    @AttributeDefinition(description = "File holding the password (first line); preferred over password",
            required = false)
    String passwordFile() default "";

    @AttributeDefinition(description = "Password (better: passwordFile or ${env:VAR})", type =
            org.osgi.service.metatype.annotations.AttributeType.PASSWORD, required = false)
    String password() default "";

    @AttributeDefinition(description = "Give the terminal a face photo of each resident it lists, so it matches faces "
            + "itself; the community then keeps a small sealed face photo with each enrolled face (README, Privacy)")
    boolean pushFaces() default true;

    @AttributeDefinition(description = "Door number on the terminal")
    int doorNo() default 1;

    @AttributeDefinition(description = "Seconds between access event polls (0: no polling)")
    int pollSeconds() default 10;

    @AttributeDefinition(description = "Seconds between checks for given-up whitelist events (dead letters); when there "
            + "are some and the terminal answers, a full resync resolves them (0: never, resync by hand)")
    int healSeconds() default 60;

    @AttributeDefinition(description = "Minutes of events read back on start")
    int lookbackMinutes() default 1440;

    @AttributeDefinition(description = "Connect and answer timeout, milliseconds")
    int timeoutMillis() default 5000;

    @AttributeDefinition(description = "The terminal's time zone (ISAPI local times)")
    String timeZone() default "Asia/Shanghai";
}
