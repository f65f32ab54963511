package org.gatehouse.gate.isapi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.api.service.StreamConsumers.DeadLetter;
import org.junit.jupiter.api.Test;

class DeadLetterHealTest {
    static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z");
    final List<String> resolved = new ArrayList<>();
    final List<DeadLetter> letters = new ArrayList<>();
    final AtomicInteger resyncs = new AtomicInteger();
    boolean terminalDown;

    /** Only {@code resolve} is used; letter 3 was resolved by an operator meanwhile. */
    final StreamConsumers consumers = (StreamConsumers) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {StreamConsumers.class}, (proxy, method, args) -> {
                if (!method.getName().equals("resolve")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                if ((long) args[0] == 3L) {
                    throw new ConflictException("resolved by clerk");
                }
                resolved.add(args[0] + " " + args[1] + " by " + args[2] + ": " + args[4]);
                return null;
            });

    final DeadLetterHeal heal = new DeadLetterHeal(() -> List.copyOf(letters), () -> {
        if (terminalDown) {
            throw new IsapiException("UNREACHABLE", "cannot connect");
        }
        resyncs.incrementAndGet();
        return "3 upserted, 1 deleted";
    }, consumers, Clock.fixed(NOW, ZoneOffset.UTC));

    static DeadLetter letter(long id, String status) {
        return new DeadLetter(id, "credential-changes/gatehouse-isapi-sync-d1", "credential-changes", 10 + id, "e" + id,
                10, "UNREACHABLE", NOW.minusSeconds(600), status);
    }

    @Test
    void nothingGivenUpMeansNoResync() {
        letters.add(letter(1, DeadLetter.REPLAYED));
        assertEquals(0, heal.round());
        assertEquals(0, resyncs.get(), "a healthy terminal is not resynced every minute");
    }

    @Test
    void aTerminalStillDownResolvesNothing() {
        letters.add(letter(1, DeadLetter.OPEN));
        terminalDown = true;
        assertThrows(IsapiException.class, heal::round);
        assertTrue(resolved.isEmpty());
    }

    @Test
    void aTerminalBackIsResyncedOnceAndItsGivenUpEventsResolvedByIt() {
        letters.add(letter(1, DeadLetter.OPEN));
        letters.add(letter(2, DeadLetter.OPEN));
        letters.add(letter(3, DeadLetter.OPEN)); // an operator resolves this one meanwhile: theirs stands
        assertEquals(2, heal.round());
        assertEquals(1, resyncs.get());
        assertEquals(List.of("1 SKIPPED by isapi-resync: superseded by a full resync of the terminal (3 upserted, 1 deleted)",
                "2 SKIPPED by isapi-resync: superseded by a full resync of the terminal (3 upserted, 1 deleted)"), resolved);
    }
}
