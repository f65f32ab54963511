package org.gatehouse.gate.isapi.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A resident's {@code employeeNo} on a terminal: the resident's random id (a UUID) as 32 hex digits — opaque (it
 * says nothing about the person; ISAPI allows 32 characters) and reversible without a table, so an access event maps
 * back to the resident even after a restart.
 */
final class EmployeeNumbers {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");

    private EmployeeNumbers() {
    }

    static String of(String residentId) {
        if (residentId == null || !UUID.matcher(residentId).matches()) {
            throw new IllegalArgumentException("a resident id must be a UUID to become an employeeNo");
        }
        return residentId.replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** The resident an employeeNo names, if it is one of ours. */
    static Optional<String> residentId(String employeeNo) {
        if (employeeNo == null || !HEX32.matcher(employeeNo.toLowerCase(Locale.ROOT)).matches()) {
            return Optional.empty();
        }
        String h = employeeNo.toLowerCase(Locale.ROOT);
        return Optional.of(h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-"
                + h.substring(16, 20) + "-" + h.substring(20));
    }
}
