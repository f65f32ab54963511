package org.gatehouse.demo.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Accounts;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds the demo community 阳光公租房小区 (Sunshine public rental housing) on first start: two
 * buildings, twelve households with tenants, co-residents and two elderly people living alone, and
 * two gate terminals whose tokens are written to {@code <karaf.data>/gatehouse/demo-device-tokens.properties}.
 * It does nothing when a community with the demo code exists already, so it runs once.
 */
@Component(immediate = true, configurationPid = "org.gatehouse.demo")
@Designate(ocd = DemoCommunitySeeder.Config.class)
public class DemoCommunitySeeder {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommunitySeeder.class);

    @ObjectClassDefinition(name = "Gatehouse demo community")
    public @interface Config {
        @AttributeDefinition(description = "Seed the demo community on first start")
        boolean enabled() default true;

        @AttributeDefinition(description = "Code of the demo community")
        String code() default "SUNSHINE";
    }

    private static final String[][] FAMILIES = {
            {"王建国", "李秀英"}, {"张伟", "刘芳", "张子涵"}, {"陈桂兰"}, {"赵磊", "孙丽"},
            {"周明"}, {"吴志强", "郑红", "吴雨桐"}, {"黄淑珍"}, {"徐浩", "何静"},
            {"马俊", "朱婷"}, {"胡斌", "郭敏", "胡欣怡"}, {"林涛"}, {"高峰", "罗娟"}};

    private static final long RETRY_SECONDS = 5;
    private static final int MAX_ATTEMPTS = 120;

    private final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-demo-seeder");
        t.setDaemon(true);
        return t;
    });

    /** The demo logins, with their demo passwords: they exist only while the demo community is enabled. */
    static final Map<String, List<String>> DEMO_LOGINS = Map.of(
            "office", List.of("community-office", "viewer"),
            "police", List.of("police"));

    @Activate
    public DemoCommunitySeeder(@Reference CommunityRepository communities, @Reference HouseholdRepository households,
                               @Reference DeviceRepository devices, @Reference Accounts accounts, Config config) {
        if (config.enabled()) {
            demoLogins(accounts, config.code());
            executor.execute(() -> seedOnce(communities, households, devices, config.code()));
        } else {
            removeDemoLogins(accounts);
        }
    }

    /**
     * With the demo disabled, the demo logins that still have their demo password are removed: a password anyone can
     * read in the README must not outlive the demo. One whose password was changed is somebody's now and is kept.
     */
    static void removeDemoLogins(Accounts accounts) {
        for (String user : new java.util.TreeSet<>(DEMO_LOGINS.keySet())) {
            if (accounts.removeIfPassword(user, user.toCharArray())) {
                LOG.warn("Demo login '{}' removed: the demo community is disabled (etc/org.gatehouse.demo.cfg) and it "
                        + "still had its demo password", user);
            }
        }
    }

    /** office/office and police/police for the demo community (their password is their name: demo only). */
    static void demoLogins(Accounts accounts, String code) {
        for (var login : new java.util.TreeMap<>(DEMO_LOGINS).entrySet()) {
            if (!accounts.exists(login.getKey())) {
                List<String> roles = new java.util.ArrayList<>(login.getValue());
                roles.add("community:" + code);
                accounts.create(login.getKey(), login.getKey().toCharArray(), roles);
                LOG.warn("Demo login '{}' created with the password '{}' (demo community {} is enabled; disable it in"
                        + " etc/org.gatehouse.demo.cfg and remove the login for real use)", login.getKey(),
                        login.getKey(), code);
            }
        }
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    /**
     * Seeds what is missing of the demo community. Each step checks what exists first, so a seeding cut
     * short (database down, store restarted under it) is completed by the next attempt, a few seconds later.
     */
    private void seedOnce(CommunityRepository communities, HouseholdRepository households, DeviceRepository devices,
                          String code) {
        try {
            seed(communities, households, devices, code);
        } catch (RuntimeException e) {
            if (attempts.incrementAndGet() >= MAX_ATTEMPTS) {
                LOG.error("Demo community could not be seeded after {} attempts: {}", MAX_ATTEMPTS, e.getMessage(), e);
                return;
            }
            LOG.info("Demo community not complete yet ({}); retried in {} s", e.getMessage(), RETRY_SECONDS);
            executor.schedule(() -> seedOnce(communities, households, devices, code), RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    static void seed(CommunityRepository communities, HouseholdRepository households, DeviceRepository devices,
                     String code) {
        Community community = communities.communityByCode(Scope.all(), code)
                .orElseGet(() -> communities.createCommunity(code, "阳光公租房小区 Sunshine Public Rental Housing",
                        "1 Yangguang Road"));
        Scope scope = Scope.of(community.id());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int family = 0;
        boolean seededSomething = false;
        for (String buildingCode : List.of("1", "2")) {
            Building building = communities.buildings(scope, community.id()).stream()
                    .filter(b -> b.code().equals(buildingCode)).findFirst()
                    .orElseGet(() -> communities.createBuilding(scope, community.id(), buildingCode,
                            buildingCode + "号楼 Building " + buildingCode));
            for (int i = 0; i < 6; i++) {
                int floor = 1 + i / 2;
                String number = floor + "0" + (1 + i % 2);
                Unit flat = communities.units(scope, building.id()).stream().filter(u -> u.number().equals(number))
                        .findFirst()
                        .orElseGet(() -> communities.createUnit(scope, building.id(), "1", floor, number, 48.5));
                String[] members = FAMILIES[family++];
                Household household = households.households(scope, community.id()).stream()
                        .filter(h -> h.unitId().equals(flat.id())).findFirst()
                        .orElseGet(() -> households.createHousehold(scope, flat.id(), members[0] + "家"));
                if (!households.residents(scope, household.id()).isEmpty()) {
                    continue;
                }
                seededSomething = true;
                for (int m = 0; m < members.length; m++) {
                    boolean alone = members.length == 1 && (members[0].equals("陈桂兰") || members[0].equals("黄淑珍"));
                    Set<CareFlag> flags = alone ? EnumSet.of(CareFlag.LIVES_ALONE) : Set.of();
                    LocalDate birth = alone ? LocalDate.of(1944 + m, 3, 12) : LocalDate.of(1980 + m * 8, 6, 1);
                    Instant leaseEnd = m == 0 ? now.plus(730, ChronoUnit.DAYS) : null;
                    households.addResident(scope, household.id(), members[m], m == 0 ? ResidentRole.TENANT
                            : ResidentRole.CO_RESIDENT, birth, "1380000" + String.format("%04d", family * 10 + m),
                            now.minus(30, ChronoUnit.DAYS), leaseEnd, flags);
                }
            }
        }
        if (devices.devices(scope, community.id()).isEmpty()) {
            StringBuilder tokens = new StringBuilder("# Demo gate terminals: Authorization: Bearer <token>\n");
            for (Building building : communities.buildings(scope, community.id())) {
                var terminal = devices.register(scope, community.id(), building.id(), "building-" + building.code(),
                        building.code() + "号楼门禁 Building " + building.code() + " door", DeviceKind.FACE_TERMINAL,
                        Direction.BOTH);
                tokens.append("building-").append(building.code()).append('=').append(terminal.device().id())
                        .append(' ').append(terminal.token()).append('\n');
            }
            var gate = devices.register(scope, community.id(), null, "main-gate", "南大门 South gate",
                    DeviceKind.TURNSTILE, Direction.BOTH);
            tokens.append("main-gate=").append(gate.device().id()).append(' ').append(gate.token()).append('\n');
            writeTokens(tokens.toString());
            seededSomething = true;
        }
        LOG.info(seededSomething ? "Demo community {} seeded: 2 buildings, {} households"
                : "Demo community {} complete already; nothing seeded", code, family);
    }

    private static void writeTokens(String text) {
        Path file = Paths.get(System.getProperty("karaf.data", "data"), "gatehouse", "demo-device-tokens.properties");
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write(text);
            }
        } catch (IOException e) {
            LOG.warn("Demo device tokens not written to {}: {}", file, e.getMessage());
        }
    }
}
