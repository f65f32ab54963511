package org.gatehouse.gate.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.testing.Configs;

/** {@link World} for the tests of the REST package. */
public final class WorldAccess {
    private final World w = new World();

    public String door1() {
        return w.door1.id();
    }

    public String door2() {
        return w.door2.id();
    }

    public DeviceRepository devices() {
        return w.devices;
    }

    public DeviceLiveness liveness() {
        return new DeviceLiveness(w.alerts, w.clock, Configs.defaults(GateConfig.class));
    }

    public GateDecisionsImpl gate(Map<String, ?> config, DeviceLiveness liveness) {
        return w.gate(config, liveness);
    }

    public Map<String, PassageEvent> stored() {
        return w.recorder.stored;
    }

    public void accept(String frame, String who, float score) {
        Resident r = who.equals("wang") ? w.wang : w.li;
        w.faces.accept(frame, r, score);
    }

    /** An explainer reading the recorder's passages. */
    public PassageExplainer explainer() {
        PassageRepository passages = (PassageRepository) java.lang.reflect.Proxy.newProxyInstance(
                PassageRepository.class.getClassLoader(), new Class<?>[] {PassageRepository.class}, (p, m, args) -> {
                    if (m.getName().equals("passage")) {
                        return Optional.ofNullable(w.recorder.stored.get((String) args[1]))
                                .filter(e -> ((org.gatehouse.api.service.Scope) args[0]).allows(e.communityId()));
                    }
                    if (m.getName().equals("passages")) {
                        return List.copyOf(w.recorder.stored.values());
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        return new PassageExplainer(passages, w.households, w.communities, w.devices);
    }
}
