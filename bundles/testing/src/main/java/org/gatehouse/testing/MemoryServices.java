package org.gatehouse.testing;

import java.lang.annotation.Annotation;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.ImportJob;
import org.gatehouse.api.model.ImportRow;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.ConsentRepository;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.ImportJobRepository;
import org.gatehouse.api.service.ImportRunSupersededException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.OutboxRepository;
import org.gatehouse.api.service.PreconditionFailedException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.FaceException;

/**
 * Honest in-memory implementations of the api services, for modules' unit tests: they keep data, scope
 * it like the store does and refuse what the store refuses, so a test exercises a module's real rules.
 * A module's own {@code Fakes} extends this class to add its own services and reach these as members.
 */
public class MemoryServices {
    protected MemoryServices() {
    }

    /** JSON of the api records as the store writes it into the outbox (ISO-8601 instants). */
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public static String id() {
        return UUID.randomUUID().toString();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static class Communities implements CommunityRepository {
        public final Map<String, Community> communities = new ConcurrentHashMap<>();
        public final Map<String, Building> buildings = new ConcurrentHashMap<>();
        public final Map<String, Unit> units = new ConcurrentHashMap<>();

        @Override
        public Community createCommunity(String code, String name, String address) {
            Community c = new Community(id(), code, name, address, Instant.now());
            communities.put(c.id(), c);
            return c;
        }

        @Override
        public List<Community> communities(Scope scope) {
            return communities.values().stream().filter(c -> scope.allows(c.id())).toList();
        }

        @Override
        public Optional<Community> community(Scope scope, String id) {
            return Optional.ofNullable(communities.get(id)).filter(c -> scope.allows(c.id()));
        }

        @Override
        public Optional<Community> communityByCode(Scope scope, String code) {
            return communities(scope).stream().filter(c -> c.code().equals(code)).findFirst();
        }

        @Override
        public void deleteCommunity(Scope scope, String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Building createBuilding(Scope scope, String communityId, String code, String name) {
            scope.check(communityId);
            Building b = new Building(id(), communityId, code, name);
            buildings.put(b.id(), b);
            return b;
        }

        @Override
        public List<Building> buildings(Scope scope, String communityId) {
            scope.check(communityId);
            return buildings.values().stream().filter(b -> b.communityId().equals(communityId)).toList();
        }

        @Override
        public Optional<Building> building(Scope scope, String id) {
            return Optional.ofNullable(buildings.get(id)).filter(b -> scope.allows(b.communityId()));
        }

        @Override
        public void deleteBuilding(Scope scope, String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Unit createUnit(Scope scope, String buildingId, String stairway, int floor, String number, Double area) {
            Building b = building(scope, buildingId).orElseThrow(() -> new NotFoundException("building", buildingId));
            Unit u = new Unit(id(), b.communityId(), b.id(), stairway, floor, number, area);
            units.put(u.id(), u);
            return u;
        }

        @Override
        public List<Unit> units(Scope scope, String buildingId) {
            building(scope, buildingId).orElseThrow(() -> new NotFoundException("building", buildingId));
            return units.values().stream().filter(u -> u.buildingId().equals(buildingId)).toList();
        }

        @Override
        public Optional<Unit> unit(Scope scope, String id) {
            return Optional.ofNullable(units.get(id)).filter(u -> scope.allows(u.communityId()));
        }

        @Override
        public void deleteUnit(Scope scope, String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Long> counts(Scope scope) {
            return Map.of();
        }
    }

    public static class Households implements HouseholdRepository {
        public final Communities communities;
        public final Map<String, Household> households = new ConcurrentHashMap<>();
        public final Map<String, Resident> residents = new ConcurrentHashMap<>();
        /** Removed (moved-out) residents: invisible to reads, kept like the store keeps their rows. */
        public final Map<String, Resident> removed = new ConcurrentHashMap<>();
        /** Set by {@link Credentials}: removal revokes the credentials, as the store does in its transaction. */
        volatile Credentials credentials;

        public Households(Communities communities) {
            this.communities = communities;
        }

        @Override
        public Household createHousehold(Scope scope, String unitId, String name) {
            Unit u = communities.unit(scope, unitId).orElseThrow(() -> new NotFoundException("unit", unitId));
            Household h = new Household(id(), u.communityId(), u.id(), name, Instant.now());
            households.put(h.id(), h);
            return h;
        }

        @Override
        public List<Household> households(Scope scope, String communityId) {
            scope.check(communityId);
            return households.values().stream().filter(h -> h.communityId().equals(communityId)).toList();
        }

        @Override
        public Optional<Household> household(Scope scope, String id) {
            return Optional.ofNullable(households.get(id)).filter(h -> scope.allows(h.communityId()));
        }

        @Override
        public Resident addResident(Scope scope, String householdId, String name, ResidentRole role,
                                    LocalDate birthDate, String phone, Instant validFrom, Instant validUntil,
                                    Set<CareFlag> careFlags) {
            Household h = household(scope, householdId).orElseThrow(() -> new NotFoundException("household", householdId));
            Resident r = new Resident(id(), h.communityId(), h.id(), name, role, birthDate, phone, validFrom,
                    validUntil, careFlags);
            residents.put(r.id(), r);
            return r;
        }

        @Override
        public List<Resident> residents(Scope scope, String householdId) {
            household(scope, householdId).orElseThrow(() -> new NotFoundException("household", householdId));
            return residents.values().stream().filter(r -> r.householdId().equals(householdId)).toList();
        }

        @Override
        public Optional<Resident> resident(Scope scope, String id) {
            return Optional.ofNullable(residents.get(id)).filter(r -> scope.allows(r.communityId()));
        }

        /** A resident also if removed (what the store's row lock finds), in scope. */
        public Optional<Resident> anyResident(Scope scope, String id) {
            return Optional.ofNullable(id == null ? null : residents.getOrDefault(id, removed.get(id)))
                    .filter(r -> scope.allows(r.communityId()));
        }

        @Override
        public Resident updateResident(Scope scope, Resident resident) {
            resident(scope, resident.id()).orElseThrow(() -> new NotFoundException("resident", resident.id()));
            residents.put(resident.id(), resident);
            return resident;
        }

        @Override
        public synchronized void removeResident(Scope scope, String id) {
            Resident r = resident(scope, id).orElseThrow(() -> new NotFoundException("resident", id));
            Credentials c = credentials;
            if (c != null) {
                c.endFaces(scope, id, false);
                c.revokeAll(id);
            }
            residents.remove(id);
            removed.put(id, r);
        }
    }

    /**
     * Credentials; like the store, every issue and end of a credential appends its credential change to
     * {@link #outbox} (in the same synchronized step).
     */
    public static class Credentials implements CredentialRepository {
        public final Households households;
        public final Outbox outbox;
        public final Map<String, Credential> rows = new ConcurrentHashMap<>();
        /** The face registry whose templates {@link #endFaces} deletes (the store's face_template rows); optional. */
        public volatile Faces faces;

        public Credentials(Households households) {
            this(households, new Outbox());
        }

        public Credentials(Households households, Outbox outbox) {
            this.households = households;
            this.outbox = outbox;
            if (households.credentials == null) {
                households.credentials = this; // the first one is "the store's"
            }
        }

        @Override
        public synchronized Credential issue(Scope scope, String residentId, CredentialKind kind, String reference) {
            Resident r = households.resident(scope, residentId)
                    .orElseThrow(() -> new NotFoundException("resident", residentId));
            if (active(scope, r.communityId(), kind, reference).isPresent()) {
                throw new ConflictException("an active " + kind + " credential with this reference exists");
            }
            Credential c = new Credential(id(), r.communityId(), residentId, kind, reference, Instant.now(), null);
            event(c, CredentialChange.Change.ISSUED);
            rows.put(c.id(), c);
            return c;
        }

        @Override
        public List<Credential> credentials(Scope scope, String residentId) {
            return rows.values().stream().filter(c -> c.residentId().equals(residentId) && scope.allows(c.communityId()))
                    .toList();
        }

        @Override
        public Optional<Credential> credential(Scope scope, String credentialId) {
            return Optional.ofNullable(credentialId == null ? null : rows.get(credentialId))
                    .filter(c -> scope.allows(c.communityId()));
        }

        @Override
        public Optional<Credential> active(Scope scope, String communityId, CredentialKind kind, String reference) {
            scope.check(communityId);
            return rows.values().stream().filter(c -> c.isActive() && c.communityId().equals(communityId)
                    && c.kind() == kind && c.reference().equals(reference)).findFirst();
        }

        @Override
        public synchronized Credential revoke(Scope scope, String credentialId) {
            Credential c = Optional.ofNullable(rows.get(credentialId)).filter(x -> scope.allows(x.communityId()))
                    .orElseThrow(() -> new NotFoundException("credential", credentialId));
            return c.isActive() ? revokeNow(c) : c;
        }

        @Override
        public synchronized FacesEnded endFaces(Scope scope, String residentId, boolean always) {
            Resident r = households.anyResident(scope, residentId)
                    .orElseThrow(() -> new NotFoundException("resident", residentId));
            Faces f = faces;
            String key = r.communityId() + "/" + residentId;
            List<String> templates = f == null ? List.of() : f.templates.getOrDefault(key, List.of());
            List<Credential> faceCredentials = rows.values().stream()
                    .filter(c -> c.residentId().equals(residentId) && c.isActive() && c.kind().isFace()).toList();
            // like one transaction: the events first (a failing outbox changes nothing), then the rows
            Instant at = Instant.now();
            List<Credential> revoked = faceCredentials.stream().map(c -> revoked(c, at)).toList();
            revoked.forEach(c -> event(c, CredentialChange.Change.REVOKED));
            if (always || !templates.isEmpty() || !revoked.isEmpty()) {
                event(r.communityId(), residentId, CredentialChange.Change.FACE_DELETED, CredentialKind.FACE, null);
            }
            revoked.forEach(c -> rows.put(c.id(), c));
            if (f != null) {
                f.templates.remove(key);
            }
            return new FacesEnded(r.communityId(), residentId, templates.size(), revoked);
        }

        @Override
        public synchronized int rewriteReferences(CredentialKind kind, String keepPrefix,
                                                  java.util.function.UnaryOperator<String> rewrite) {
            int changed = 0;
            for (Credential c : List.copyOf(rows.values())) {
                if (c.kind() != kind || c.reference().startsWith(keepPrefix)) {
                    continue;
                }
                String replacement = rewrite.apply(c.reference());
                if (replacement == null || !replacement.startsWith(keepPrefix) || (c.isActive()
                        && active(Scope.all(), c.communityId(), kind, replacement).isPresent())) {
                    continue; // left as it is, like the store
                }
                rows.put(c.id(), new Credential(c.id(), c.communityId(), c.residentId(), kind, replacement,
                        c.issuedAt(), c.revokedAt()));
                changed++;
            }
            return changed;
        }

        /** Revokes every active credential of a resident (the store does it when a resident is removed). */
        synchronized List<Credential> revokeAll(String residentId) {
            Instant at = Instant.now();
            List<Credential> revoked = rows.values().stream().filter(c -> c.residentId().equals(residentId)
                    && c.isActive()).map(c -> revoked(c, at)).toList();
            revoked.forEach(c -> event(c, CredentialChange.Change.REVOKED));
            revoked.forEach(c -> rows.put(c.id(), c));
            return revoked;
        }

        private Credential revokeNow(Credential c) {
            Credential revoked = revoked(c, Instant.now());
            event(revoked, CredentialChange.Change.REVOKED);
            rows.put(revoked.id(), revoked);
            Faces f = faces;
            if (c.kind().isFace() && f != null) { // a FACE credential and its template end together
                f.templates.values().forEach(list -> list.remove(c.reference()));
                f.templates.values().removeIf(List::isEmpty);
            }
            return revoked;
        }

        private static Credential revoked(Credential c, Instant at) {
            return new Credential(c.id(), c.communityId(), c.residentId(), c.kind(), c.reference(), c.issuedAt(), at);
        }

        private void event(Credential c, CredentialChange.Change change) {
            event(c.communityId(), c.residentId(), change, c.kind(), c.id());
        }

        private void event(String communityId, String residentId, CredentialChange.Change change, CredentialKind kind,
                           String credentialId) {
            CredentialChange e = new CredentialChange(id(), communityId, residentId, change, kind, credentialId,
                    Instant.now());
            outbox.append(Streams.CREDENTIAL_CHANGES, e.id(), communityId, json(e));
        }
    }

    public static class Consents implements ConsentRepository {
        public final Households households;
        public final Map<String, Consent> rows = new ConcurrentHashMap<>();

        public Consents(Households households) {
            this.households = households;
        }

        @Override
        public Consent give(Scope scope, String residentId, String purpose, String noticeVersion, String channel,
                            String recordedBy) {
            Resident r = households.resident(scope, residentId)
                    .orElseThrow(() -> new NotFoundException("resident", residentId));
            Consent c = new Consent(id(), r.communityId(), residentId, purpose, noticeVersion, channel, Instant.now(),
                    null, recordedBy);
            rows.put(c.id(), c);
            return c;
        }

        /** Like the store: the last face-access consent withdrawn ends the faces in the same step. */
        @Override
        public Withdrawal withdrawConsent(Scope scope, String consentId) {
            Credentials credentials = households.credentials;
            synchronized (credentials == null ? this : credentials) {
                Consent found = Optional.ofNullable(rows.get(consentId)).filter(x -> scope.allows(x.communityId()))
                        .orElseThrow(() -> new NotFoundException("consent", consentId));
                Consent c = !found.isInForce() ? found : new Consent(found.id(), found.communityId(),
                        found.residentId(), found.purpose(), found.noticeVersion(), found.channel(), found.givenAt(),
                        Instant.now(), found.recordedBy());
                CredentialRepository.FacesEnded ended = null;
                String residentId = c.residentId();
                if (Consent.PURPOSE_FACE_ACCESS.equals(c.purpose()) && credentials != null
                        && rows.values().stream().noneMatch(x -> x.residentId().equals(residentId) && x.isInForce()
                        && x.purpose().equals(Consent.PURPOSE_FACE_ACCESS) && !x.id().equals(consentId))) {
                    ended = credentials.endFaces(Scope.all(), residentId, true); // a failure here changes nothing
                }
                rows.put(c.id(), c);
                return new Withdrawal(c, ended);
            }
        }

        @Override
        public List<Consent> consents(Scope scope, String residentId) {
            return rows.values().stream().filter(c -> c.residentId().equals(residentId) && scope.allows(c.communityId()))
                    .toList();
        }
    }

    public static class Outbox implements OutboxRepository {
        public final List<OutboxEntry> entries = new CopyOnWriteArrayList<>();
        public final AtomicLong seq = new AtomicLong();
        /** While set, every append fails (a database refusing the outbox row). */
        public volatile boolean failing;

        @Override
        public void append(String stream, String eventId, String communityId, String payloadJson) {
            if (failing) {
                throw new IllegalStateException("the outbox refuses " + stream + " " + eventId);
            }
            if (entries.stream().anyMatch(e -> e.stream().equals(stream) && e.eventId().equals(eventId))) {
                return;
            }
            entries.add(new OutboxEntry(seq.incrementAndGet(), stream, eventId, communityId, payloadJson, Instant.now(), 0));
        }

        @Override
        public List<OutboxEntry> pending(int limit) {
            return entries.stream().limit(limit).toList();
        }

        @Override
        public void markPublished(long sequence) {
        }

        @Override
        public void markFailed(long sequence, String error) {
        }

        @Override
        public long pendingCount() {
            return entries.size();
        }
    }

    /**
     * Key checks as the store keeps them: the first record of a purpose wins. {@link #values} stands for what the
     * database holds made with each purpose's key; {@link #down} makes every call fail like a database that is down.
     */
    public static class KeyCheckRecords implements org.gatehouse.api.service.KeyChecks {
        public final Map<String, KeyCheck> records = new ConcurrentHashMap<>();
        public final Map<String, List<KeyedValue>> values = new ConcurrentHashMap<>();
        public volatile boolean down;

        private void available() {
            if (down) {
                throw new org.gatehouse.api.service.StoreUnavailableException("database unavailable (test)", null);
            }
        }

        @Override
        public Optional<KeyCheck> recorded(String purpose) {
            available();
            return Optional.ofNullable(records.get(purpose));
        }

        @Override
        public KeyCheck record(String purpose, String checkValue, String keyFile) {
            available();
            return records.computeIfAbsent(purpose, p -> new KeyCheck(p, checkValue, keyFile, Instant.now()));
        }

        @Override
        public List<KeyedValue> keyedValues(String purpose, int limit) {
            available();
            List<KeyedValue> all = values.getOrDefault(purpose, List.of());
            return List.copyOf(all.subList(0, Math.min(limit, all.size())));
        }
    }

    public static class Audits implements AuditLog {
        public final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

        @Override
        public synchronized AuditEntry append(String actor, String action, String communityId, String subjectId,
                                              String detail) {
            AuditEntry e = new AuditEntry(entries.size() + 1, Instant.now(), actor, action, communityId, subjectId,
                    detail, "", "");
            entries.add(e);
            return e;
        }

        @Override
        public List<AuditEntry> entries(Scope scope, String communityId, Instant from, Instant to, int limit) {
            return entries;
        }

        /** Like the store: the subject's entries in the scope, oldest first, after a sequence, at most 10,000 a page. */
        @Override
        public List<AuditEntry> entriesAbout(Scope scope, String subjectId, long afterSequence, int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1");
            }
            return entries.stream().filter(e -> subjectId.equals(e.subjectId()) && e.sequence() > afterSequence
                            && (e.communityId() == null ? scope.everything() : scope.allows(e.communityId())))
                    .sorted(java.util.Comparator.comparingLong(AuditEntry::sequence))
                    .limit(Math.min(limit, 10_000)).toList();
        }

        @Override
        public Verification verify() {
            return new Verification(true, entries.size(), -1, "");
        }

        public List<String> actions() {
            return entries.stream().map(AuditEntry::action).toList();
        }
    }

    /**
     * Records enrollments and forgets; an image reading "no face" fails like the engine would. For residents'
     * faces ({@link #enrollResident}) it needs the {@link Credentials} (which holds the consents' households) and
     * does what the store does in one transaction under the resident's lock: re-checks the consent and a non-face
     * credential, then saves the template and issues the FACE credential. {@link #whileComputing} runs where the
     * engine would be computing the template, before that step.
     */
    public static class Faces implements FaceRegistry {
        public final Map<String, List<String>> templates = new ConcurrentHashMap<>();
        public final List<String> forgotten = Collections.synchronizedList(new ArrayList<>());
        /** Subjects whose gallery entries were refreshed from the store. */
        public final List<String> refreshed = Collections.synchronizedList(new ArrayList<>());
        public volatile Runnable whileComputing = () -> { };
        public volatile Consents consents;

        @Override
        public Enrollment enroll(Scope scope, String communityId, String subjectId, byte[] image) {
            scope.check(communityId);
            if (new String(image).equals("no face")) {
                throw new FaceException(FaceException.Code.NO_FACE);
            }
            String t = id();
            templates.computeIfAbsent(communityId + "/" + subjectId, k -> new CopyOnWriteArrayList<>()).add(t);
            return new Enrollment(t, communityId, subjectId, "fake-model", null);
        }

        @Override
        public ResidentEnrollment enrollResident(Scope scope, String communityId, String residentId, byte[] image,
                                                 String consentPurpose) {
            scope.check(communityId);
            if (new String(image).equals("no face")) {
                throw new FaceException(FaceException.Code.NO_FACE);
            }
            whileComputing.run();
            Consents c = consents;
            Credentials credentials = c.households.credentials;
            synchronized (credentials) {
                if (c.inForce(scope, residentId, consentPurpose).isEmpty()) {
                    throw new PreconditionFailedException(PreconditionFailedException.Reason.CONSENT_NOT_IN_FORCE,
                            "no " + consentPurpose + " consent in force");
                }
                if (credentials.credentials(scope, residentId).stream()
                        .noneMatch(x -> x.isActive() && !x.kind().isFace())) {
                    throw new PreconditionFailedException(PreconditionFailedException.Reason.NO_NON_FACE_CREDENTIAL,
                            "no non-face credential");
                }
                String t = id();
                Credential face = credentials.issue(scope, residentId, CredentialKind.FACE, t);
                templates.computeIfAbsent(communityId + "/" + residentId, k -> new CopyOnWriteArrayList<>()).add(t);
                return new ResidentEnrollment(new Enrollment(t, communityId, residentId, "fake-model", null), face);
            }
        }

        @Override
        public int forget(Scope scope, String communityId, String subjectId) {
            scope.check(communityId);
            forgotten.add(subjectId);
            List<String> gone = templates.remove(communityId + "/" + subjectId);
            return gone == null ? 0 : gone.size();
        }

        @Override
        public void refresh(Scope scope, String communityId, String subjectId) {
            scope.check(communityId);
            refreshed.add(subjectId);
        }

        @Override
        public Identification identify(Scope scope, String communityId, byte[] image, int k) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float matchThreshold() {
            return 0.36f;
        }
    }


    /**
     * Import jobs and their rows, like the store: a row's resident (with app token and consent) and its outcome are
     * written in one step or not at all, every row write is refused ({@link ImportRunSupersededException}) unless the
     * job is RUNNING under the writer's attempt, {@link #requeue} is a compare-and-set on the attempt, an ended job
     * forgets its rows' fields. For crash tests: {@link #down} makes every call fail like an unreachable database, and
     * {@link #crashAfterRowWrites} sets it by itself after a number of row writes (a node dying in the middle of an
     * import); {@link #beforeRowWrite} runs before every row write (to pause a run there).
     */
    public static class ImportJobs implements ImportJobRepository {
        public final Households households;
        public final Credentials credentials;
        public final Consents consents;
        private final Map<String, ImportJob> jobs = new ConcurrentHashMap<>();
        private final Map<String, java.util.TreeMap<Integer, ImportRow>> rows = new ConcurrentHashMap<>();
        /** While set, every call throws {@link StoreUnavailableException} and changes nothing. */
        public volatile boolean down;
        /** Row writes still allowed before {@link #down} is set by itself; negative = no limit. */
        public final java.util.concurrent.atomic.AtomicInteger rowWritesLeft =
                new java.util.concurrent.atomic.AtomicInteger(-1);
        /** Runs before every row write (importResident, rowFailed, faceDone), outside the lock. */
        public volatile Runnable beforeRowWrite = () -> { };

        public ImportJobs(Households households, Credentials credentials, Consents consents) {
            this.households = households;
            this.credentials = credentials;
            this.consents = consents;
        }

        /** The node "dies" when a row write comes after {@code n} more: it and everything after it fail. */
        public void crashAfterRowWrites(int n) {
            rowWritesLeft.set(n);
        }

        /** The database is back (and no crash is planned any more). */
        public void heal() {
            rowWritesLeft.set(-1);
            down = false;
        }

        private void up() {
            if (down) {
                throw new StoreUnavailableException("database unavailable (test)", null);
            }
        }

        private void rowWrite() {
            beforeRowWrite.run();
            up();
            if (rowWritesLeft.get() == 0) {
                down = true;
                up();
            }
        }

        private void rowWritten() {
            rowWritesLeft.getAndUpdate(n -> n > 0 ? n - 1 : n);
        }

        private ImportJob require(Scope scope, String id) {
            return Optional.ofNullable(id == null ? null : jobs.get(id)).filter(j -> scope.allows(j.communityId()))
                    .orElseThrow(() -> new NotFoundException("import", String.valueOf(id)));
        }

        @Override
        public synchronized ImportJob create(Scope scope, NewJob job, List<NewRow> newRows) {
            up();
            scope.check(job.communityId());
            households.communities.community(scope, job.communityId())
                    .orElseThrow(() -> new NotFoundException("community", job.communityId()));
            if (jobs.containsKey(job.id())) {
                throw new ConflictException("duplicate import id");
            }
            if ((job.photos() == null) != (job.photosSha256() == null)) {
                throw new IllegalArgumentException("photos and photosSha256 go together");
            }
            java.util.TreeMap<Integer, ImportRow> list = new java.util.TreeMap<>();
            for (int seq = 0; seq < newRows.size(); seq++) {
                NewRow r = newRows.get(seq);
                if (json(r.fields()).length() > MAX_FIELDS_CHARS) {
                    throw new IllegalArgumentException("row " + r.csvRow() + ": its fields are longer than "
                            + MAX_FIELDS_CHARS + " characters");
                }
                list.put(seq, new ImportRow(job.id(), seq, r.csvRow(), r.fields(), ImportRow.Status.PENDING, null,
                        null, null, null, null));
            }
            Instant now = Instant.now();
            ImportJob created = new ImportJob(job.id(), job.communityId(), job.submittedBy(), now,
                    ImportJob.Status.QUEUED, newRows.size(), 0, 0, 0, 1, job.node(), job.photos(), job.photosSha256(),
                    now, null, null, null);
            rows.put(job.id(), list);
            jobs.put(job.id(), created);
            return created;
        }

        @Override
        public Optional<ImportJob> job(Scope scope, String id) {
            up();
            return Optional.ofNullable(id == null ? null : jobs.get(id)).filter(j -> scope.allows(j.communityId()));
        }

        @Override
        public List<ImportJob> jobs(Scope scope, String communityId, int limit) {
            up();
            scope.check(communityId);
            return jobs.values().stream().filter(j -> j.communityId().equals(communityId))
                    .sorted(java.util.Comparator.comparing(ImportJob::submittedAt).thenComparing(ImportJob::id)
                            .reversed()).limit(limit).toList();
        }

        @Override
        public List<ImportRow> rows(Scope scope, String jobId, Set<ImportRow.Status> statuses, int afterSeq,
                                    int limit) {
            up();
            require(scope, jobId);
            synchronized (this) {
                return rows.get(jobId).tailMap(afterSeq, false).values().stream()
                        .filter(r -> statuses == null || statuses.isEmpty() || statuses.contains(r.status()))
                        .limit(limit).toList();
            }
        }

        @Override
        public synchronized boolean start(Scope scope, String jobId, int attempt) {
            up();
            ImportJob j = require(scope, jobId);
            if (j.status() != ImportJob.Status.QUEUED || j.attempt() != attempt) {
                return false;
            }
            jobs.put(jobId, with(j, ImportJob.Status.RUNNING, j.attempt(), j.node()));
            return true;
        }

        @Override
        public synchronized boolean requeue(Scope scope, String jobId, int expectedAttempt, String node) {
            up();
            ImportJob j = require(scope, jobId);
            if (j.status().ended() || j.attempt() != expectedAttempt) {
                return false;
            }
            jobs.put(jobId, with(j, ImportJob.Status.QUEUED, j.attempt() + 1, node));
            return true;
        }

        @Override
        public synchronized List<ImportJob> interruptNode(String node) {
            up();
            List<ImportJob> interrupted = new ArrayList<>();
            for (ImportJob j : List.copyOf(jobs.values())) {
                if (j.node().equals(node) && (j.status() == ImportJob.Status.QUEUED
                        || j.status() == ImportJob.Status.RUNNING)) {
                    ImportJob now = with(j, ImportJob.Status.INTERRUPTED, j.attempt(), j.node());
                    jobs.put(j.id(), now);
                    interrupted.add(now);
                }
            }
            return interrupted;
        }

        @Override
        public Imported importResident(Scope scope, String jobId, int attempt, int seq, NewResident resident,
                                       NewConsent consent, boolean faceFollows) {
            rowWrite();
            synchronized (this) {
                up();
                ImportJob j = held(scope, jobId, attempt);
                ImportRow row = row(j, seq, ImportRow.Status.PENDING);
                Household h = households.household(scope, resident.householdId())
                        .filter(x -> x.communityId().equals(j.communityId()))
                        .orElseThrow(() -> new NotFoundException("household", resident.householdId()));
                if (credentials.active(scope, h.communityId(), CredentialKind.APP_TOKEN,
                        resident.appTokenReference()).isPresent()) {
                    throw new ConflictException("an active APP_TOKEN credential with this reference already exists");
                }
                // every check is done: what follows cannot fail, so the row and its resident are written together
                Resident r = households.addResident(scope, h.id(), resident.name(), resident.role(),
                        resident.birthDate(), resident.phone(), resident.validFrom(), resident.validUntil(),
                        resident.careFlags());
                Credential token = credentials.issue(scope, r.id(), CredentialKind.APP_TOKEN,
                        resident.appTokenReference());
                Consent given = consent == null ? null : consents.give(scope, r.id(), consent.purpose(),
                        consent.noticeVersion(), consent.channel(), consent.recordedBy());
                ImportRow marked = mark(j, row, faceFollows ? ImportRow.Status.FACE_PENDING : ImportRow.Status.DONE,
                        r.id(), "OK", null, null, faceFollows ? 0 : 1, 0);
                rowWritten();
                return new Imported(marked, r, token, given);
            }
        }

        @Override
        public ImportRow rowFailed(Scope scope, String jobId, int attempt, int seq, String code, String messageEn,
                                   String messageZh, boolean removeResident) {
            rowWrite();
            synchronized (this) {
                up();
                ImportJob j = held(scope, jobId, attempt);
                ImportRow row = row(j, seq, ImportRow.Status.PENDING, ImportRow.Status.FACE_PENDING);
                if (removeResident && row.residentId() != null && households.resident(scope, row.residentId())
                        .isPresent()) {
                    households.removeResident(scope, row.residentId());
                }
                ImportRow marked = mark(j, row, ImportRow.Status.FAILED, row.residentId(), code, messageEn, messageZh,
                        0, 1);
                rowWritten();
                return marked;
            }
        }

        @Override
        public ImportRow faceDone(Scope scope, String jobId, int attempt, int seq) {
            rowWrite();
            synchronized (this) {
                up();
                ImportJob j = held(scope, jobId, attempt);
                ImportRow row = row(j, seq, ImportRow.Status.FACE_PENDING);
                ImportRow marked = mark(j, row, ImportRow.Status.DONE, row.residentId(), "OK", null, null, 1, 0);
                rowWritten();
                return marked;
            }
        }

        @Override
        public synchronized Optional<ImportJob> end(Scope scope, String jobId, int attempt, ImportJob.Status status,
                                                    String errorEn, String errorZh) {
            up();
            ImportJob j = require(scope, jobId);
            if (status == ImportJob.Status.QUEUED || status == ImportJob.Status.RUNNING) {
                throw new IllegalArgumentException("status must be FINISHED, FAILED or INTERRUPTED");
            }
            if (j.attempt() != attempt || (j.status() != ImportJob.Status.QUEUED
                    && j.status() != ImportJob.Status.RUNNING)) {
                return Optional.empty();
            }
            Instant now = Instant.now();
            ImportJob ended = new ImportJob(j.id(), j.communityId(), j.submittedBy(), j.submittedAt(), status,
                    j.total(), j.done(), j.failed(), j.nextSeq(), j.attempt(), j.node(), j.photos(), j.photosSha256(),
                    now, status.ended() ? now : null, errorEn, errorZh);
            jobs.put(jobId, ended);
            if (status.ended()) {
                rows.get(jobId).replaceAll((seq, r) -> new ImportRow(r.jobId(), r.seq(), r.csvRow(), null, r.status(),
                        r.residentId(), r.code(), r.messageEn(), r.messageZh(), r.processedAt()));
            }
            return Optional.of(ended);
        }

        @Override
        public synchronized int deleteEnded(Scope scope, String communityId, int keep) {
            up();
            List<ImportJob> ended = jobs(scope, communityId, Integer.MAX_VALUE).stream()
                    .filter(j -> j.status().ended()).toList();
            int deleted = 0;
            for (ImportJob j : ended.subList(Math.min(keep, ended.size()), ended.size())) {
                jobs.remove(j.id());
                rows.remove(j.id());
                deleted++;
            }
            return deleted;
        }

        private ImportJob held(Scope scope, String jobId, int attempt) {
            ImportJob j = require(scope, jobId);
            if (j.status() != ImportJob.Status.RUNNING || j.attempt() != attempt) {
                throw new ImportRunSupersededException(jobId, attempt);
            }
            return j;
        }

        private ImportRow row(ImportJob j, int seq, ImportRow.Status... expected) {
            ImportRow row = rows.get(j.id()).get(seq);
            if (row == null) {
                throw new NotFoundException("import row", j.id() + "/" + seq);
            }
            if (!List.of(expected).contains(row.status())) {
                throw new ConflictException("row " + row.csvRow() + " of import " + j.id() + " is " + row.status());
            }
            return row;
        }

        private ImportRow mark(ImportJob j, ImportRow row, ImportRow.Status to, String residentId, String code,
                               String messageEn, String messageZh, int done, int failed) {
            Instant now = Instant.now();
            ImportRow marked = new ImportRow(row.jobId(), row.seq(), row.csvRow(), row.fields(), to, residentId, code,
                    messageEn, messageZh, now);
            rows.get(j.id()).put(row.seq(), marked);
            jobs.put(j.id(), new ImportJob(j.id(), j.communityId(), j.submittedBy(), j.submittedAt(), j.status(),
                    j.total(), j.done() + done, j.failed() + failed, Math.max(j.nextSeq(), row.seq() + 1),
                    j.attempt(), j.node(), j.photos(), j.photosSha256(), now, null, null, null));
            return marked;
        }

        private static ImportJob with(ImportJob j, ImportJob.Status status, int attempt, String node) {
            return new ImportJob(j.id(), j.communityId(), j.submittedBy(), j.submittedAt(), status, j.total(),
                    j.done(), j.failed(), j.nextSeq(), attempt, node, j.photos(), j.photosSha256(), Instant.now(),
                    j.finishedAt(), j.errorEn(), j.errorZh());
        }
    }
}
