package org.gatehouse.visitor.internal;

import java.time.Clock;
import java.util.UUID;

import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.VisitorRepository;

/** Writes the visitor log ({@link VisitLogEntry}, kept by the {@link VisitorRepository}), stamped by the clock. */
final class VisitLog {
    private final VisitorRepository visitors;
    private final Clock clock;

    VisitLog(VisitorRepository visitors, Clock clock) {
        this.visitors = visitors;
        this.clock = clock;
    }

    void write(Scope scope, String communityId, String visitorId, String passId, String event, String actor,
               String gate, String detail) {
        visitors.log(scope, new VisitLogEntry(UUID.randomUUID().toString(), communityId, visitorId, passId, event,
                actor, gate, clock.instant(), detail));
    }
}
