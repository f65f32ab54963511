package org.gatehouse.api.model;

import java.time.Instant;
import java.util.Map;

/**
 * One data row of an import's CSV and its outcome.
 *
 * @param seq        position in the job, from 0, in CSV order
 * @param csvRow     the spreadsheet row number (the header is row 1)
 * @param fields     the row's fields by column name; kept only while the job may still need them (cleared, null,
 *                   once the job has ended, and at once when the resident the row names is erased: a row without
 *                   fields in a job that has not ended is a row whose resident was erased, never to be imported)
 * @param residentId the resident the row created (DONE, FACE_PENDING)
 * @param code       OK for a done row, the error code of a failed one
 * @param messageEn  why the row failed, in English (null when it did not)
 * @param messageZh  the same in Simplified Chinese
 * @param warningCode a DONE row that succeeded with something left undone (its second photo not enrolled): why, as a
 *                   stable code ({@code NO_FACE}, {@code PHOTO_NOT_FOUND}, {@code PHOTO2_SAME}…); null otherwise.
 *                   Stored with the row's outcome, so it survives the node like the outcome
 * @param warningEn  that warning in English (null without one)
 * @param warningZh  the same in Simplified Chinese
 */
public record ImportRow(String jobId, int seq, int csvRow, Map<String, String> fields, Status status,
                        String residentId, String code, String messageEn, String messageZh, Instant processedAt,
                        String warningCode, String warningEn, String warningZh) {
    /** Where a row is. */
    public enum Status {
        /** Not processed yet. */
        PENDING,
        /**
         * Its resident (with app token and face-access consent) is stored; the face enrollment that completes the row
         * has not been recorded yet. Resuming enrolls the face if the resident has none, and never creates the
         * resident again.
         */
        FACE_PENDING,
        /** Imported: {@code residentId} exists. */
        DONE,
        /** Failed with {@code code}; nothing of the row is left. */
        FAILED;

        /** DONE or FAILED: counted in the job's progress. */
        public boolean processed() {
            return this == DONE || this == FAILED;
        }
    }

    public ImportRow {
        Validation.require(jobId, "jobId");
        Validation.require(status, "status");
        fields = fields == null ? null : Map.copyOf(fields);
        if (warningCode != null && status != Status.DONE) {
            throw new IllegalArgumentException("only a DONE row has a warning");
        }
    }

    /** A row without a warning. */
    public ImportRow(String jobId, int seq, int csvRow, Map<String, String> fields, Status status, String residentId,
                     String code, String messageEn, String messageZh, Instant processedAt) {
        this(jobId, seq, csvRow, fields, status, residentId, code, messageEn, messageZh, processedAt, null, null,
                null);
    }
}
