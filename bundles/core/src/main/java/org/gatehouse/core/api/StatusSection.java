package org.gatehouse.core.api;

import java.util.List;
import java.util.Locale;

/**
 * A module's part of {@code gatehouse:status}: a service of this type adds a titled section with its lines (e.g. the
 * integration targets' state and backlog), without the core knowing the module. Lines are for people, one fact each;
 * a failure to produce them is shown as that section's error, never as a failed status.
 */
public interface StatusSection {
    /** The section's title, e.g. "Integration targets". */
    String title(Locale locale);

    /** The section's lines, without indentation. */
    List<String> lines(Locale locale);

    /** Order among the sections (lower first). */
    default int order() {
        return 100;
    }
}
