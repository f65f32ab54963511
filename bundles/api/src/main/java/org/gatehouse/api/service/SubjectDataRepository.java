package org.gatehouse.api.service;

import java.util.List;

import org.gatehouse.api.model.PassageEvent;

/** What the store holds about one person beyond their own rows, for subject access and erasure. */
public interface SubjectDataRepository {
    /** Every stored passage of the subject (a resident or visitor id), oldest first. */
    List<PassageEvent> passagesOf(Scope scope, String subjectId);

    /** Removes the subject's id from their passages (the passage stays, as nobody's); returns how many. */
    int anonymisePassages(Scope scope, String subjectId);
}
