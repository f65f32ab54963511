package org.gatehouse.gate.simulator.internal;

import java.util.List;
import java.util.Objects;

import org.gatehouse.api.model.Device;

/**
 * What a run plays: where (the community's devices, used in turn as cameras), how fast and how long, who comes.
 *
 * @param communityId   the community
 * @param devices       the devices that "see" the people, in turn; at least one
 * @param rate          frames (or credentials) per second, all devices together
 * @param count         stop after this many (0: no count bound)
 * @param seconds       stop after this long (0: no time bound)
 * @param mix           who comes
 * @param faces         the photos; {@link FaceFolder#NONE} to present credentials only
 * @param residentCards card numbers issued to residents (presented as residents' cards); empty: cards nobody issued
 * @param passCodes     valid visitor pass codes or QR payloads; empty: codes nobody issued
 * @param seed          seed of the run's random choices (same seed, same people in the same order)
 */
public record SimulationPlan(String communityId, List<Device> devices, double rate, long count, long seconds, Mix mix,
                             FaceFolder faces, List<String> residentCards, List<String> passCodes, long seed) {
    public SimulationPlan {
        Objects.requireNonNull(communityId, "communityId");
        devices = List.copyOf(devices);
        if (devices.isEmpty()) {
            throw new SimulatorException("No device to simulate in community " + communityId);
        }
        Pace.periodNanos(rate);
        Pace.plannedFrames(rate, count, seconds);
        Objects.requireNonNull(mix, "mix");
        faces = faces == null ? FaceFolder.NONE : faces;
        residentCards = residentCards == null ? List.of() : List.copyOf(residentCards);
        passCodes = passCodes == null ? List.of() : List.copyOf(passCodes);
    }

    public long plannedFrames() {
        return Pace.plannedFrames(rate, count, seconds);
    }

    public boolean bounded() {
        return plannedFrames() > 0;
    }
}
