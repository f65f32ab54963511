package org.gatehouse.api.service;

import java.time.Instant;

/**
 * Deletes personal data past its retention time. Each method deletes what is older than {@code before}
 * and returns how many rows went; callers (the privacy module's scheduled job) decide the times.
 */
public interface RetentionRepository {
    /** Passages that occurred before {@code before} (their outbox entries, once published, too). */
    int purgePassages(Instant before);

    /** Visitor registrations whose expected window ended before {@code before}, with their passes and face templates' subject rows. */
    int purgeVisitors(Instant before);

    /** Visitor log entries before {@code before}. */
    int purgeVisitLog(Instant before);

    /** Closed alerts raised before {@code before}. */
    int purgeAlerts(Instant before);

    /** Outbox entries published before {@code before}. */
    int purgePublishedOutbox(Instant before);
}
