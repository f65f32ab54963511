package org.gatehouse.whitelist.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.api.Whitelist;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whitelist's in-memory copy ({@link CommunityCopy}), per community, from which {@link AccessPolicy} answers while
 * the database is down: cards, ID cards and PINs by keyed hash, each resident's lease window and building.
 * <p>
 * <b>Loading.</b> A community is loaded in the background: at activation for every community that has devices, and
 * on first use (the first check the store answered for it). Decisions never wait for a load; until a community is
 * loaded its checks with the database down fail as before (503). A failed load is tried again on a later use.
 * The load reads the store as the office's lists do (households, then the residents and credentials of each): for
 * 120,000 residents some 160,000 small reads, in the background, once per node start and community.
 * <p>
 * <b>Kept current</b> from the streams ({@link OfflineWhitelistFollower}) rather than by reloading: each
 * {@code credential-changes} event (issue, revoke, move-out's revocations) and each {@code population-changes} event
 * (move-in, move-out, a lease or flat changed) makes the copy read that one resident again ({@link #refresh}), which is
 * idempotent, so a late or repeated event is harmless and an event racing a load changes nothing wrong. A periodic
 * full reload would cost the whole load every period for a community that mostly does not change. Every lease the
 * store returns to a check is also taken in ({@link #seen}).
 * <p>
 * <b>What it cannot know.</b> A credential revoked, a resident removed or a lease shortened while the database is down
 * (or whose event has not reached this node yet) is not in the copy: such a card still opens until the database
 * returns. Every decision made from the copy says so ({@link AccessCheck#offline()}, {@code OFFLINE_DECISION}).
 * <p>
 * <b>Bounded</b> by {@link WhitelistConfig#offlineCopyMaxResidents()} over all communities (about 370 bytes per
 * resident, see {@link CommunityCopy}): a community that would go over is not kept (logged).
 */
@Component(service = OfflineWhitelist.class, configurationPid = WhitelistConfig.PID)
public class OfflineWhitelist {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineWhitelist.class);
    /** A community whose load failed is not tried again sooner. */
    private static final Duration RETRY = Duration.ofMinutes(1);

    private final HouseholdRepository households;
    private final CredentialRepository credentials;
    private final CommunityRepository communities;
    private final java.util.concurrent.Executor loader;
    private final Clock clock;
    private final int maxResidents;
    private final Map<String, CommunityCopy> copies = new ConcurrentHashMap<>();
    /** Communities being loaded. */
    private final Set<String> loading = ConcurrentHashMap.newKeySet();
    /** When a community's load failed last: it is not started again before {@link #RETRY}. */
    private final Map<String, Instant> failedAt = new ConcurrentHashMap<>();
    /** Communities not kept because of the bound: not loaded again until the next start. */
    private final Set<String> tooLarge = ConcurrentHashMap.newKeySet();
    private final AtomicInteger held = new AtomicInteger();
    private ExecutorService ownLoader;

    @Activate
    public OfflineWhitelist(@Reference HouseholdRepository households, @Reference CredentialRepository credentials,
                            @Reference CommunityRepository communities, @Reference DeviceRepository devices,
                            WhitelistConfig config) {
        this(households, credentials, communities, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-whitelist-offline-copy");
            t.setDaemon(true);
            return t;
        }), Clock.systemUTC(), config.offlineCopyMaxResidents());
        ownLoader = (ExecutorService) loader;
        loader.execute(() -> {
            try {
                for (Community c : communities.communities(Scope.all())) {
                    if (!devices.devices(Scope.all(), c.id()).isEmpty()) {
                        wanted(c.id());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Offline whitelist copy: communities with devices not loaded at start ({}); each is loaded on"
                        + " first use", e.toString());
            }
        });
    }

    /** For tests: loads on {@code loader} (a direct one loads at once). */
    OfflineWhitelist(HouseholdRepository households, CredentialRepository credentials, CommunityRepository communities,
                     java.util.concurrent.Executor loader, Clock clock, int maxResidents) {
        this.households = households;
        this.credentials = credentials;
        this.communities = communities;
        this.loader = loader;
        this.clock = clock;
        this.maxResidents = Math.max(0, maxResidents);
    }

    @Deactivate
    void deactivate() {
        if (ownLoader != null) {
            ownLoader.shutdownNow();
        }
    }

    /** The community is used: loads it in the background unless held, being loaded or failed lately. */
    void wanted(String communityId) {
        if (communityId == null || copies.containsKey(communityId) || tooLarge.contains(communityId)) {
            return;
        }
        Instant failed = failedAt.get(communityId);
        if (failed != null && clock.instant().isBefore(failed.plus(RETRY)) || !loading.add(communityId)) {
            return;
        }
        try {
            loader.execute(() -> {
                try {
                    load(communityId);
                } finally {
                    loading.remove(communityId);
                }
            });
        } catch (RejectedExecutionException e) {
            loading.remove(communityId); // deactivated
        }
    }

    /** Loads (or reloads) a community now; false when the store failed or the bound does not allow it. */
    boolean load(String communityId) {
        long t0 = System.nanoTime();
        try {
            Scope scope = Scope.of(communityId);
            Map<String, String> buildingOfUnit = new HashMap<>();
            for (Building b : communities.buildings(scope, communityId)) {
                String building = b.id();
                for (Unit u : communities.units(scope, building)) {
                    buildingOfUnit.put(u.id(), building);
                }
            }
            CommunityCopy copy = new CommunityCopy(communityId, clock.instant(), buildingOfUnit);
            CommunityCopy old = copies.get(communityId);
            int room = maxResidents - held.get() + (old == null ? 0 : old.residents());
            for (Household h : households.households(scope, communityId)) {
                String building = copy.buildingOfUnit(h.unitId());
                for (Resident r : households.residents(scope, h.id())) {
                    if (copy.residents() >= room) {
                        LOG.warn("Offline whitelist copy: community {} not kept, it would hold more than {} residents"
                                + " in all (offlineCopyMaxResidents)", communityId, maxResidents);
                        tooLarge.add(communityId);
                        return false;
                    }
                    copy.put(r, building, credentials.credentials(scope, r.id()));
                }
            }
            old = copies.put(communityId, copy);
            held.addAndGet(copy.residents() - (old == null ? 0 : old.residents()));
            failedAt.remove(communityId);
            LOG.info("Offline whitelist copy of community {}: {} residents, {} cards/ID cards/PINs, loaded in {} ms",
                    communityId, copy.residents(), copy.credentials(), (System.nanoTime() - t0) / 1_000_000);
            return true;
        } catch (RuntimeException e) {
            failedAt.put(communityId, clock.instant());
            LOG.warn("Offline whitelist copy of community {} not loaded, tried again on a later use: {}", communityId,
                    e.toString());
            return false;
        }
    }

    /**
     * Reads one resident of a held community again (an event named them): their lease, building and kept credentials,
     * or forgets them when the store no longer has them. Throws when the store fails (the event is delivered again).
     *
     * @return false when the community is not held (nothing to do)
     */
    boolean refresh(String communityId, String residentId) {
        CommunityCopy copy = communityId == null ? null : copies.get(communityId);
        if (copy == null || residentId == null) {
            return false;
        }
        Scope scope = Scope.of(communityId);
        Optional<Resident> found = households.resident(scope, residentId);
        if (found.isEmpty() || !communityId.equals(found.get().communityId())) {
            copy.remove(residentId);
            held.set(total());
            return true;
        }
        Resident r = found.get();
        String building = households.household(scope, r.householdId()).map(h -> {
            String known = copy.buildingOfUnit(h.unitId());
            return known != null ? known : communities.unit(scope, h.unitId())
                    .map(u -> copy.unitIn(u.id(), u.buildingId())).orElse(null);
        }).orElse(null);
        copy.put(r, building, credentials.credentials(scope, residentId));
        held.set(total());
        return true;
    }

    private int total() {
        return copies.values().stream().mapToInt(CommunityCopy::residents).sum();
    }

    /** A resident as the store just returned them: their lease is taken into the copy if it holds them. */
    void seen(Resident r) {
        CommunityCopy copy = copies.get(r.communityId());
        if (copy != null) {
            copy.lease(r);
        }
    }

    /**
     * A presented credential's check from the copy ({@code reference}: what the store would be asked for, empty when
     * the value is not of the kind's form); empty when the community is not held.
     */
    Optional<AccessCheck> checkCredential(Scope scope, String communityId, CredentialKind kind,
                                          Optional<String> reference, Instant at) {
        CommunityCopy copy = communityId == null || !scope.allows(communityId) ? null : copies.get(communityId);
        if (copy == null) {
            return Optional.empty();
        }
        return Optional.of(copy.checkCredential(reference.flatMap(ref -> CommunityCopy.Key.of(kind, ref)), at));
    }

    /** A resident's lease check from the copy; empty when no held community of the scope holds them. */
    Optional<AccessCheck> check(Scope scope, String residentId, Instant at) {
        return held(scope).map(c -> c.check(residentId, at)).flatMap(Optional::stream).findFirst();
    }

    Optional<Whitelist.OfflineResident> resident(Scope scope, String residentId) {
        return held(scope).map(c -> c.resident(residentId)).flatMap(Optional::stream).findFirst();
    }

    private java.util.stream.Stream<CommunityCopy> held(Scope scope) {
        return copies.values().stream().filter(c -> scope.allows(c.communityId));
    }

    /** The communities held, for tests and the log. */
    Set<String> communities() {
        return Set.copyOf(copies.keySet());
    }

    /** Residents held in all. */
    int residents() {
        return held.get();
    }
}
