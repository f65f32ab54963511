package org.gatehouse.gate.isapi.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.gatehouse.api.model.AccessDecision;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.DecisionReason;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.PassageRecorder;

/**
 * Reads a terminal's access events ({@code AcsEvent} search over a time window, page by page) and records each as a
 * {@link PassageEvent} with the id {@code isapi-<device>-<serialNo>}: the recorder stores an id once, so the
 * overlapping windows of successive polls (and a poll repeated after a failure) store nothing twice. The window
 * starts {@code overlap} before the end of the last complete poll; it moves only when every page was read and
 * recorded, so a failed poll is simply done again.
 */
final class EventIngest {
    /** Minor codes of a granted passage (Hikvision major 5): valid card, fingerprint matched, face verified. */
    static final Set<Integer> GRANTED = Set.of(1, 38, 75);

    private final Device device;
    private final IsapiClient client;
    private final PassageRecorder recorder;
    private final Population population;
    private final Clock clock;
    private final Duration overlap;
    private final SyncState state;
    private Instant windowStart;

    EventIngest(Device device, IsapiClient client, PassageRecorder recorder, Population population, Clock clock,
                Duration lookback, Duration overlap, SyncState state) {
        this.device = device;
        this.client = client;
        this.recorder = recorder;
        this.population = population;
        this.clock = clock;
        this.overlap = overlap;
        this.state = state;
        this.windowStart = clock.instant().minus(lookback);
    }

    /** One poll; returns the passages stored now (not those already stored). Throws when the terminal failed. */
    synchronized int poll() {
        Instant end = clock.instant();
        OffsetDateTime from = OffsetDateTime.ofInstant(windowStart, client.zone());
        OffsetDateTime to = OffsetDateTime.ofInstant(end, client.zone());
        List<AcsEventRecord> all = new ArrayList<>();
        int position = 0;
        while (true) {
            IsapiClient.EventPage page;
            try {
                page = client.events(from, to, position);
            } catch (RuntimeException e) {
                state.failed("events: " + e.getMessage(), end);
                throw e;
            }
            all.addAll(page.events());
            position += page.events().size();
            if (!page.more() || page.events().isEmpty()) {
                break;
            }
        }
        int stored = 0;
        for (AcsEventRecord record : all) {
            if (recorder.record(passage(record)) == PassageRecorder.Outcome.STORED) {
                stored++;
            }
        }
        windowStart = end.minus(overlap);
        state.polled(end, stored);
        return stored;
    }

    PassageEvent passage(AcsEventRecord e) {
        Optional<String> resident = EmployeeNumbers.residentId(e.employeeNo());
        boolean known = resident.isPresent() && population.member(resident.get()).isPresent();
        CredentialKind kind = kind(e.verifyMode());
        SubjectType subject = known ? SubjectType.RESIDENT
                : kind == CredentialKind.FACE && e.employeeNo().isEmpty() ? SubjectType.STRANGER : SubjectType.UNKNOWN;
        boolean granted = GRANTED.contains(e.minor());
        StringBuilder detail = new StringBuilder("minor=").append(e.minor()).append(";door=").append(e.doorNo())
                .append(";serialNo=").append(e.serialNo());
        if (!e.verifyMode().isEmpty()) {
            detail.append(";verifyMode=").append(e.verifyMode());
        }
        if (!e.mask().isEmpty()) {
            detail.append(";mask=").append(e.mask());
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        if (e.temperature() != null) {
            scores.put("temperature", e.temperature());
            detail.append(";temperature=").append(e.temperature());
        }
        List<DecisionReason> reasons = List.of(
                new DecisionReason(granted ? "TERMINAL_GRANTED" : "TERMINAL_REFUSED", detail.toString()));
        return new PassageEvent("isapi-" + device.id() + "-" + e.serialNo(), device.communityId(), device.id(),
                e.time().toInstant(), device.direction(), subject, known ? resident.get() : null, kind,
                new AccessDecision(granted ? Verdict.ALLOW : Verdict.DENY, reasons, scores));
    }

    private static CredentialKind kind(String verifyMode) {
        String mode = verifyMode.toLowerCase(Locale.ROOT);
        if (mode.contains("face")) {
            return CredentialKind.FACE;
        }
        if (mode.contains("card")) {
            return CredentialKind.CARD;
        }
        if (mode.contains("pw") || mode.contains("password") || mode.contains("pin")) {
            return CredentialKind.PIN;
        }
        return null;
    }

    synchronized Instant windowStart() {
        return windowStart;
    }
}
