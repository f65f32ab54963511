package org.gatehouse.gate.simulator.internal;

import java.util.List;
import java.util.Random;

import org.gatehouse.gate.simulator.internal.Presentation.Means;
import org.gatehouse.gate.simulator.internal.Presentation.Who;

/**
 * Draws who comes next from a {@link Mix} with one {@link Random}: the same seed gives the same people in the same
 * order. Residents show their face when there are resident photos (a share {@link Mix#cards()} their card instead,
 * when cards are configured), else a card; strangers show a face when there are stranger photos, else a card nobody
 * issued; visitors type a pass code (a configured one, else six digits nobody issued). Temperatures are normal
 * (36.2–37.0 °C) except a share {@link Mix#fever()} with fever (37.6–39.0 °C).
 */
public final class Casting {
    private final Mix mix;
    private final FaceFolder faces;
    private final List<String> residentCards;
    private final List<String> passCodes;
    private final Random random;

    public Casting(Mix mix, FaceFolder faces, List<String> residentCards, List<String> passCodes, Random random) {
        this.mix = mix;
        this.faces = faces;
        this.residentCards = List.copyOf(residentCards);
        this.passCodes = List.copyOf(passCodes);
        this.random = random;
    }

    public Presentation next() {
        double r = random.nextDouble();
        Who who = r < mix.strangers() ? Who.STRANGER : r < mix.strangers() + mix.visitors() ? Who.VISITOR : Who.RESIDENT;
        boolean fever = random.nextDouble() < mix.fever();
        double temperature = fever ? 37.6 + random.nextDouble() * 1.4 : 36.2 + random.nextDouble() * 0.8;
        temperature = Math.round(temperature * 10) / 10.0;
        boolean maskOn = random.nextDouble() >= mix.noMask();
        return switch (who) {
            case RESIDENT -> {
                boolean card = faces.residents().isEmpty()
                        || (!residentCards.isEmpty() && random.nextDouble() < mix.cards());
                if (card) {
                    String number = residentCards.isEmpty() ? unissuedCard() : pick(residentCards);
                    yield new Presentation(who, Means.CARD, null, null, number, temperature, maskOn);
                }
                FaceFolder.Face face = pick(faces.residents());
                yield new Presentation(who, Means.FACE, face.image(), face.name(), null, temperature, maskOn);
            }
            case STRANGER -> {
                if (faces.strangers().isEmpty()) {
                    yield new Presentation(who, Means.CARD, null, null, unissuedCard(), temperature, maskOn);
                }
                FaceFolder.Face face = pick(faces.strangers());
                yield new Presentation(who, Means.FACE, face.image(), face.name(), null, temperature, maskOn);
            }
            case VISITOR -> new Presentation(who, Means.PASS_CODE, null, null,
                    passCodes.isEmpty() ? String.format("%06d", random.nextInt(1_000_000)) : pick(passCodes),
                    temperature, maskOn);
        };
    }

    /** A card number nobody issued (the simulator's prefix, eight digits). */
    private String unissuedCard() {
        return "SIM" + String.format("%08d", random.nextInt(100_000_000));
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
