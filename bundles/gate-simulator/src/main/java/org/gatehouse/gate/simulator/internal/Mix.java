package org.gatehouse.gate.simulator.internal;

/**
 * Who comes to the gate, as shares of all presentations: strangers and visitors (the rest are residents), and of
 * everyone: a fever temperature, no mask. {@code cards} is the share of residents who show their card although a face
 * photo of them is there (only when resident cards are configured).
 */
public record Mix(double strangers, double visitors, double fever, double noMask, double cards) {
    public static final Mix DEFAULT = new Mix(0.2, 0.1, 0.05, 0.1, 0.1);

    public Mix {
        share("strangers", strangers);
        share("visitors", visitors);
        share("fever", fever);
        share("no-mask", noMask);
        share("cards", cards);
        if (strangers + visitors > 1.0 + 1e-9) {
            throw new IllegalArgumentException("strangers (" + strangers + ") and visitors (" + visitors
                    + ") together exceed 1");
        }
    }

    /** The share of residents: what strangers and visitors leave. */
    public double residents() {
        return Math.max(0, 1.0 - strangers - visitors);
    }

    private static void share(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be a share between 0 and 1, not " + value);
        }
    }
}
