package org.gatehouse.api.model;

/** What the person who went to see found (上门走访结果), recorded with the acknowledgement of a welfare alert. */
public enum WelfareOutcome {
    /** The person was at home and well. */
    FOUND_WELL,
    /** The person needed help (it was given or called). */
    NEEDED_HELP,
    /** Nobody answered; the person was not at home. */
    NOT_HOME,
    /** The person is in hospital. */
    HOSPITAL,
    /** Anything else: the free text says what. */
    OTHER
}
