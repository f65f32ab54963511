package org.gatehouse.demo.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.api.CredentialIssuer;
import org.gatehouse.whitelist.api.Whitelist;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the demo community play by itself: once {@link DemoCommunitySeeder} has seeded it (community, residents,
 * devices), gives the tenants a demo IC card each through the whitelist ({@link CredentialIssuer}: keyed hashes, as
 * {@code POST /api/residents/{id}/credentials} does) — all but the first tenant living alone, who never passes a door
 * and so shows the welfare inactivity alert (README, "Welfare") — sets the community's welfare contacts once, and —
 * the first time only, while the simulator's configuration
 * does not say {@code enabled} either way — points the demo devices' doors at the simulated door (gate
 * {@code doorAdapters}) and turns on the gate simulator ({@code org.gatehouse.gate.simulator}) with those cards, so
 * passages flow. A configuration that has {@code enabled} set (by this class earlier, or by hand) is never touched:
 * {@code enabled = false} in {@code etc/org.gatehouse.gate.simulator.cfg} stays off. Nothing happens when the demo is
 * disabled ({@code org.gatehouse.demo enabled = false}).
 */
@Component(immediate = true, configurationPid = "org.gatehouse.demo")
public class DemoSimulation {
    private static final Logger LOG = LoggerFactory.getLogger(DemoSimulation.class);

    static final String GATE_PID = "org.gatehouse.gate";
    static final String SIMULATOR_PID = "org.gatehouse.gate.simulator";
    static final String ACTOR = "demo";
    private static final long RETRY_SECONDS = 5;
    static final String WELFARE_COMMUNITY_PID = "org.gatehouse.welfare.community";
    private static final int MAX_ATTEMPTS = 120;

    private final CommunityRepository communities;
    private final HouseholdRepository households;
    private final DeviceRepository devices;
    private final CredentialIssuer issuer;
    private final Whitelist whitelist;
    private final ConfigurationAdmin configAdmin;
    private final AtomicInteger attempts = new AtomicInteger();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-demo-simulation");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public DemoSimulation(@Reference CommunityRepository communities, @Reference HouseholdRepository households,
                          @Reference DeviceRepository devices, @Reference CredentialIssuer issuer,
                          @Reference Whitelist whitelist, @Reference ConfigurationAdmin configAdmin,
                          DemoCommunitySeeder.Config config) {
        this.communities = communities;
        this.households = households;
        this.devices = devices;
        this.issuer = issuer;
        this.whitelist = whitelist;
        this.configAdmin = configAdmin;
        if (config.enabled()) {
            executor.schedule(() -> setUpOnce(config.code()), RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    private void setUpOnce(String code) {
        try {
            if (!setUp(code)) {
                retry(code, "the demo community is not seeded yet");
            }
        } catch (RuntimeException | IOException e) {
            retry(code, e.toString());
        }
    }

    private void retry(String code, String why) {
        if (attempts.incrementAndGet() >= MAX_ATTEMPTS) {
            LOG.error("Demo simulator not set up after {} attempts: {}", MAX_ATTEMPTS, why);
            return;
        }
        LOG.debug("Demo simulator not set up yet ({}); retried in {} s", why, RETRY_SECONDS);
        executor.schedule(() -> setUpOnce(code), RETRY_SECONDS, TimeUnit.SECONDS);
    }

    /** False while the seeder has not finished (no devices yet); each step looks first, so it can run again. */
    boolean setUp(String code) throws IOException {
        Community community = communities.communityByCode(Scope.all(), code).orElse(null);
        if (community == null) {
            return false;
        }
        Scope scope = Scope.of(community.id());
        List<Device> demoDevices = devices.devices(scope, community.id());
        if (demoDevices.isEmpty()) {
            return false; // the seeder registers the devices last
        }
        Map<String, String> cards = issueCards(scope, community);
        welfareContacts(community);
        Configuration simulator = configAdmin.getConfiguration(SIMULATOR_PID, "?");
        Dictionary<String, Object> current = simulator.getProperties();
        if (current != null && current.get("enabled") != null) {
            LOG.info("Demo cards: {}; simulator configuration left as it is (enabled = {} in etc/{}.cfg)",
                    cards.keySet(), current.get("enabled"), SIMULATOR_PID);
            return true;
        }
        useSimulatedDoors(demoDevices);
        Dictionary<String, Object> props = current != null ? current : new Hashtable<>();
        props.put("enabled", "true");
        props.put("community", code);
        props.put("rate", "0.5");
        props.put("residentCards", String.join(",", cards.keySet()));
        // valid cards only: an unknown card or pass code counts against the terminal in the whitelist's guessing
        // throttle, and the demo ships no face photos, so no strangers (they would be unknown cards) and no visitors
        props.put("strangers", "0");
        props.put("visitors", "0");
        props.put("fever", "0.05");
        props.put("noMask", "0.1");
        simulator.update(props);
        LOG.warn("Demo simulator enabled: community {}, 0.5 presentations/s on {} device(s), demo cards {} (demo data);"
                + " stop it with gatehouse:simulate --stop, or for good with enabled = false in etc/{}.cfg",
                code, demoDevices.size(), cards, SIMULATOR_PID);
        return true;
    }

    /**
     * A demo card for each tenant who does not live alone (the two elderly people living alone are left without one,
     * so that the inactivity alert still has someone to watch): {@code DEMO-<building>-<flat>}, e.g. DEMO-1-101.
     * Card number → resident name, in building and flat order.
     */
    Map<String, String> issueCards(Scope scope, Community community) {
        Map<String, String> flatOfUnit = new HashMap<>();
        for (Building b : communities.buildings(scope, community.id())) {
            for (Unit u : communities.units(scope, b.id())) {
                flatOfUnit.put(u.id(), b.code() + "-" + u.number());
            }
        }
        List<Household> list = new ArrayList<>(households.households(scope, community.id()));
        list.sort((a, b) -> flatOfUnit.getOrDefault(a.unitId(), "").compareTo(flatOfUnit.getOrDefault(b.unitId(), "")));
        Map<String, String> cards = new LinkedHashMap<>();
        Instant now = Instant.now();
        // the first resident living alone (in flat order) gets no card, so never passes a door: her inactivity alert
        // is the README's welfare walk-through; the others living alone pass like everyone else
        boolean silentLeft = false;
        for (Household h : list) {
            String flat = flatOfUnit.get(h.unitId());
            if (flat == null) {
                continue;
            }
            for (Resident r : households.residents(scope, h.id())) {
                if (r.role() != ResidentRole.TENANT) {
                    continue;
                }
                if (r.careFlags().contains(CareFlag.LIVES_ALONE) && !silentLeft) {
                    silentLeft = true;
                    continue;
                }
                String number = "DEMO-" + flat;
                AccessCheck known = whitelist.checkCredential(scope, community.id(), CredentialKind.CARD, number, now);
                if (known.residentId() == null) {
                    issuer.issue(scope, ACTOR, r.id(), CredentialKind.CARD, number);
                    LOG.info("Demo card {} issued to {}", number, r.name());
                } else if (!known.residentId().equals(r.id())) {
                    continue; // somebody else holds it: not the demo's to give
                }
                cards.put(number, r.name());
            }
        }
        return cards;
    }

    /**
     * The demo community's welfare contacts (factory PID {@value #WELFARE_COMMUNITY_PID}), once: the community police
     * officer and the property staff are told of an inactivity alert, the station's head on escalation. A
     * configuration for the community that exists already (made by hand) is left alone.
     */
    private void welfareContacts(Community community) throws IOException {
        try {
            Configuration[] existing = configAdmin.listConfigurations("(&(service.factoryPid=" + WELFARE_COMMUNITY_PID
                    + ")(communityId=" + community.id() + "))");
            if (existing != null && existing.length > 0) {
                return;
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        Configuration contacts = configAdmin.createFactoryConfiguration(WELFARE_COMMUNITY_PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("communityId", community.id());
        props.put("contacts", new String[] {"police|社区民警 王警官 Officer Wang|mqtt:gatehouse/demo/officer-wang",
                "property|物业 李师傅 Property staff Li|mqtt:gatehouse/demo/property-li",
                "police|派出所值班 Duty desk|mqtt:gatehouse/demo/duty-desk"});
        contacts.update(props);
        LOG.info("Demo welfare contacts set for community {}", community.code());
    }

    /** Adds {@code deviceId=simulator} to the gate's doorAdapters for each demo device it does not name yet. */
    private void useSimulatedDoors(List<Device> demoDevices) throws IOException {
        Configuration gate = configAdmin.getConfiguration(GATE_PID, "?");
        Dictionary<String, Object> props = gate.getProperties() != null ? gate.getProperties() : new Hashtable<>();
        List<String> entries = new ArrayList<>(adapterEntries(props.get("doorAdapters")));
        List<String> named = entries.stream().map(e -> e.contains("=") ? e.substring(0, e.indexOf('=')).trim() : e)
                .toList();
        boolean changed = false;
        for (Device d : demoDevices) {
            if (!named.contains(d.id())) {
                entries.add(d.id() + "=simulator");
                changed = true;
            }
        }
        if (changed) {
            props.put("doorAdapters", entries.toArray(new String[0]));
            gate.update(props);
            LOG.info("Demo devices open the simulated door (doorAdapters in etc/{}.cfg)", GATE_PID);
        }
    }

    static List<String> adapterEntries(Object value) {
        if (value == null) {
            return List.of();
        }
        List<String> raw = value instanceof String[] a ? Arrays.asList(a)
                : value instanceof Iterable<?> i ? toStrings(i) : List.of(String.valueOf(value));
        List<String> out = new ArrayList<>();
        for (String s : raw) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static List<String> toStrings(Iterable<?> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(String.valueOf(v)));
        return out;
    }
}
