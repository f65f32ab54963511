package org.gatehouse.gate.isapi.internal;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.api.service.StreamConsumers.DeadLetter;

/**
 * Heals a terminal whose whitelist sync gave up on events (dead letters of its consumers, after a long outage): once
 * the terminal answers a full resync, the terminal holds exactly who may pass now, so those events are superseded and
 * are resolved {@code SKIPPED} by {@value #BY}, naming the resync. The letters are listed <em>before</em> the resync,
 * which reads the present state, so each one resolved is covered by it; letters written later wait for the next round.
 * A terminal still down fails the resync and nothing is resolved.
 */
final class DeadLetterHeal {
    static final String BY = "isapi-resync";

    private final Supplier<List<DeadLetter>> openLetters;
    private final Supplier<String> resync;
    private final StreamConsumers consumers;
    private final Clock clock;

    DeadLetterHeal(Supplier<List<DeadLetter>> openLetters, Supplier<String> resync, StreamConsumers consumers,
                   Clock clock) {
        this.openLetters = openLetters;
        this.resync = resync;
        this.consumers = consumers;
        this.clock = clock;
    }

    /** One round; returns how many letters the resync resolved (0 when there were none). Throws if the resync failed. */
    int round() {
        List<DeadLetter> open = openLetters.get().stream().filter(DeadLetter::open).toList();
        if (open.isEmpty()) {
            return 0;
        }
        String summary = resync.get();
        int resolved = 0;
        for (DeadLetter letter : open) {
            try {
                consumers.resolve(letter.id(), DeadLetter.SKIPPED, BY, clock.instant(),
                        "superseded by a full resync of the terminal (" + summary + ")");
                resolved++;
            } catch (ConflictException | NotFoundException gone) {
                // resolved meanwhile by someone else (a replay or an operator): theirs stands
            }
        }
        return resolved;
    }
}
