package org.gatehouse.api.model;

import java.time.Instant;
import java.util.Map;

/**
 * One data row of an import's CSV and its outcome.
 *
 * @param seq        position in the job, from 0, in CSV order
 * @param csvRow     the spreadsheet row number (the header is row 1)
 * @param fields     the row's fields by column name; kept only while the job may still need them (cleared, null,
 *                   once the job has ended)
 * @param residentId the resident the row created (DONE, FACE_PENDING)
 * @param code       OK for a done row, the error code of a failed one
 * @param messageEn  why the row failed, in English (null when it did not)
 * @param messageZh  the same in Simplified Chinese
 */
public record ImportRow(String jobId, int seq, int csvRow, Map<String, String> fields, Status status,
                        String residentId, String code, String messageEn, String messageZh, Instant processedAt) {
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
    }
}
