package org.gatehouse.gate.simulator.internal;

import java.awt.image.BufferedImage;

/**
 * One simulated person at the gate and what they present: a face photo (then {@code face} is set) or a credential
 * (card number or pass code in {@code credential}), with the terminal's readings.
 *
 * @param who         resident, visitor or stranger (what the simulator meant, to compare with the verdict)
 * @param means       face, card or pass code
 * @param face        the photo to paste into the frame; null unless {@code means} is {@link Means#FACE}
 * @param faceName    the photo's file name (for logs), or null
 * @param credential  the card number or pass code; null for a face
 * @param temperature body temperature in °C, one decimal
 * @param maskOn      whether the terminal saw a mask
 */
public record Presentation(Who who, Means means, BufferedImage face, String faceName, String credential,
                           double temperature, boolean maskOn) {
    public enum Who {
        RESIDENT, VISITOR, STRANGER
    }

    public enum Means {
        FACE, CARD, PASS_CODE
    }

    /** A fever by the screening module's default limit (37.3 °C). */
    public boolean fever() {
        return temperature > 37.3;
    }
}
