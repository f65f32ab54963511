package org.gatehouse.api.service;

import org.gatehouse.api.model.PassageEvent;

/**
 * Where gates hand over passages. Never loses one: if the database is down the passage waits in a
 * local journal and is stored and published when the database is back.
 */
public interface PassageRecorder {
    Outcome record(PassageEvent event);

    /** Passages waiting in the local journal for the database. */
    int journalled();

    enum Outcome {
        /** Stored now; it will be published on the {@code passages} stream. */
        STORED,
        /** Already stored earlier (same id). */
        DUPLICATE,
        /** The database is down; kept in the local journal. */
        JOURNALLED
    }
}
