package org.gatehouse.welfare.internal;

import java.time.Instant;

import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.service.Scope;

/** The detectors: run as of a time (null = the clock's now) for the communities in {@code scope}. */
public interface WelfareChecks {
    CheckReport run(Scope scope, Instant asOf);

    /** A passage just recorded: closes the open inactivity alerts of its resident that it ends. */
    int passed(PassageEvent passage);

    /** The clock every welfare time comes from. */
    java.time.Clock clock();
}
