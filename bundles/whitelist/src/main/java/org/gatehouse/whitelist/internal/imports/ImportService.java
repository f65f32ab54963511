package org.gatehouse.whitelist.internal.imports;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Refusal;

/**
 * Bulk import of residents from a CSV (and a zip of photos), in the background: one job at a time per community,
 * every row its own unit (resident + app token, + consent and face when the row says {@code faceConsent=yes} and
 * names a photo); a failed row is reported and never stops the others. Jobs are stored before they are acknowledged
 * and survive the node; an interrupted one goes on only when resumed ({@link #resume}).
 */
public interface ImportService {
    /** Required header columns; {@code faceConsent} and {@code photo2} are optional. */
    List<String> COLUMNS = List.of("building", "flat", "household", "name", "role", "phone", "validFrom", "validUntil",
            "photo");
    String FACE_CONSENT = "faceConsent";
    /** A second photo of the resident (file name in the zip), enrolled after {@code photo} as a template of its own. */
    String PHOTO2 = "photo2";

    /** A job's status as a reader sees it. */
    enum Status { QUEUED, RUNNING, INTERRUPTED, FINISHED, FAILED }

    /**
     * A processed row. {@code warningCode} and {@code warning}: a row that succeeded with something left undone — its
     * second photo ({@code photo2}) was not enrolled (the face code, {@code PHOTO_NOT_FOUND}, {@code PHOTO2_SAME}…);
     * null otherwise. A warning is stored with the row's outcome (in the transaction that marks the row done), so it
     * is shown after a restart and on every node, for as long as the job is kept.
     */
    record RowResult(int row, boolean ok, String code, String message, String residentId, String warningCode,
                     String warning) {
    }

    /**
     * What a reader sees of a job.
     *
     * @param resumable INTERRUPTED: {@link #resume} goes on with it
     * @param attempt   runs so far (1 = never resumed)
     * @param error     why it failed, or, when interrupted, that it was and how to resume it
     */
    record Report(String id, String communityId, Status status, int total, int done, int failed, int percent,
                  String error, List<RowResult> rows, Instant submittedAt, Instant finishedAt,
                  String submittedBy, boolean resumable, int attempt) {
        /** FINISHED or FAILED: nothing more will happen to the job. */
        public boolean finished() {
            return status == Status.FINISHED || status == Status.FAILED;
        }

        /** Nothing runs it now: finished, failed or interrupted. */
        public boolean stopped() {
            return finished() || status == Status.INTERRUPTED;
        }
    }

    /** The limits a photo zip is read with (the REST upload is cut off past {@code maxZipBytes}). */
    SafeZip.Limits limits();

    /** The largest CSV accepted (bytes). */
    int maxCsvBytes();

    /**
     * Checks the CSV and the zip now (a {@link Refusal} for what is wrong with them; nothing is stored then), stores
     * the job durably — its rows in the store, the zip in this node's import folder, forced to disk — and queues it.
     * The id is returned only once all that is done.
     *
     * @param community   community code or id
     * @param zip         the photo zip or null
     * @param deleteAfter a temporary file to delete once the job is stored or refused (or null)
     * @return the import id
     */
    String submit(Caller caller, String community, byte[] csv, Path zip, Path deleteAfter) throws IOException;

    /**
     * Resumes an INTERRUPTED job: it is queued again (after its community's other jobs) under a new attempt and goes
     * on with the rows not yet committed. Refused (409) when the job is not interrupted (running, queued, finished,
     * failed — or another resume just won), or when its photo zip is not in this node's import folder or has changed.
     */
    String resume(Caller caller, String id) throws IOException;

    /** The job with every processed row's result, or empty when there is none in the caller's scope. */
    Optional<Report> report(Caller caller, String id, Locale locale);

    /** As {@link #report}, without the rows (for polling). */
    Optional<Report> progress(Caller caller, String id, Locale locale);

    /** The community's jobs (code or id), newest first, without their rows. */
    List<Report> list(Caller caller, String community, Locale locale, int limit);
}
