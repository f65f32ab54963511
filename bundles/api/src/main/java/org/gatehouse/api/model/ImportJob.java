package org.gatehouse.api.model;

import java.time.Instant;

/**
 * A bulk import of residents as the store keeps it: who submitted it for which community and when, where it stands
 * and which run holds it. The rows of the CSV are {@link ImportRow}s of the job.
 *
 * @param total        data rows of the CSV
 * @param done         rows imported (their resident exists)
 * @param failed       rows that failed (nothing of them is left)
 * @param nextSeq      the position: every row before it ({@link ImportRow#seq()} below it) has been taken: it is
 *                     done, failed, or its resident is stored and its face is being enrolled (FACE_PENDING)
 * @param attempt      how many times a node took the job: 1 for the run after the submission, one more for every
 *                     resume. Every write of a run names its attempt, and only the latest attempt may write, so two
 *                     runs of one job never both write rows
 * @param node         the node that holds (or last held) the job
 * @param photos       file name of the job's photo zip in that node's import folder, null without photos
 * @param photosSha256 SHA-256 (hex) of that file as accepted, null without photos
 * @param updatedAt    the last change (every row written by a run touches it: a heartbeat)
 * @param errorEn      why the job failed (status FAILED), in English; null otherwise
 * @param errorZh      the same in Simplified Chinese
 */
public record ImportJob(String id, String communityId, String submittedBy, Instant submittedAt, Status status,
                        int total, int done, int failed, int nextSeq, int attempt, String node, String photos,
                        String photosSha256, Instant updatedAt, Instant finishedAt, String errorEn, String errorZh) {
    /** Where a job is. */
    public enum Status {
        /** Accepted and stored, waiting for its community's earlier jobs (or just resumed). */
        QUEUED,
        /** A run is importing its rows. */
        RUNNING,
        /** Its run stopped before the end (the node stopped or died, the database went away): it can be resumed. */
        INTERRUPTED,
        /** Every row was processed. */
        FINISHED,
        /** The job as a whole could not go on (not a row: rows fail on their own). */
        FAILED;

        /** FINISHED or FAILED: nothing more will happen to the job. */
        public boolean ended() {
            return this == FINISHED || this == FAILED;
        }
    }

    public ImportJob {
        Validation.require(id, "id");
        Validation.require(communityId, "communityId");
        Validation.require(status, "status");
    }
}
