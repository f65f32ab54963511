package org.gatehouse.api.service;

/**
 * A run of an import job tried to write, but the job is no longer held by that run: it was resumed by another run
 * (a later attempt), marked interrupted, or it ended. Nothing was written; the run must stop.
 */
public class ImportRunSupersededException extends ConflictException {
    public ImportRunSupersededException(String jobId, int attempt) {
        super("IMPORT_RUN_SUPERSEDED", "import " + jobId + " is no longer held by its run " + attempt);
    }
}
