package org.gatehouse.gate.isapi.internal;

import java.time.LocalDateTime;

/**
 * A person as a terminal keeps it ({@code UserInfo}): the opaque {@code employeeNo}, a display name, the validity
 * window in the terminal's local time, and the door the person may open.
 */
public record IsapiPerson(String employeeNo, String name, LocalDateTime validFrom, LocalDateTime validUntil,
                          int doorNo) {
}
