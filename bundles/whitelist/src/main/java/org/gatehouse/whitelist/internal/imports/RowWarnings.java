package org.gatehouse.whitelist.internal.imports;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Warnings of rows that succeeded with something left undone (a second photo not enrolled), by job and row, kept in
 * this service's memory for the newest {@value #JOBS} jobs that had any. The store keeps a row's code and message only
 * for a failure, so a warning is not durable: after a restart, or on another node, it is not shown any more (the
 * resident's face templates still say it: {@code GET /api/communities/{id}/residents?fewerFacePhotosThan=2}).
 */
final class RowWarnings {
    /** Jobs whose warnings are kept. */
    static final int JOBS = 200;

    record Warning(String code, ImportRunner.Text message) {
    }

    private final Map<String, Map<Integer, Warning>> byJob = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<Integer, Warning>> eldest) {
            return size() > JOBS;
        }
    };

    synchronized void add(String jobId, int seq, String code, ImportRunner.Text message) {
        byJob.computeIfAbsent(jobId, k -> new ConcurrentHashMap<>()).put(seq, new Warning(code, message));
    }

    /** The warnings of a job, by row seq (empty when none are known here). */
    synchronized Map<Integer, Warning> of(String jobId) {
        Map<Integer, Warning> w = byJob.get(jobId);
        return w == null ? Map.of() : Map.copyOf(w);
    }
}
