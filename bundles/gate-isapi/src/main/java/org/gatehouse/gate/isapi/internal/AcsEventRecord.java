package org.gatehouse.gate.isapi.internal;

import java.time.OffsetDateTime;

/**
 * One access event of a terminal ({@code AcsEvent.InfoList[]}): its serial number (unique per terminal), when, the
 * event's major/minor codes, whom ({@code employeeNoString}, empty for an unknown face or card), which door, how the
 * person was verified ({@code currentVerifyMode}), and the mask and temperature readings when the terminal has them.
 */
public record AcsEventRecord(long serialNo, OffsetDateTime time, int major, int minor, String employeeNo, int doorNo,
                             String verifyMode, String mask, Double temperature) {
}
