package org.gatehouse.gate.api;

/**
 * What a terminal measured beside the frame; every field is optional (null = not measured).
 *
 * @param temperatureCelsius body temperature read by the terminal
 * @param maskOn             whether the terminal saw a mask
 * @param idCardPhoto        the photo read from the ID card's chip, for a 1:1 check against the live face; never
 *                           stored
 */
public record Readings(Double temperatureCelsius, Boolean maskOn, byte[] idCardPhoto) {
    public static final Readings NONE = new Readings(null, null, null);

    public boolean isEmpty() {
        return temperatureCelsius == null && maskOn == null && idCardPhoto == null;
    }
}
