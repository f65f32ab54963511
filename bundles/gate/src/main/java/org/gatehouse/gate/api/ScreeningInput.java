package org.gatehouse.gate.api;

import org.gatehouse.api.model.SubjectType;

/**
 * What a {@link ScreeningCheck} sees of one passage.
 *
 * @param communityId the device's community
 * @param deviceId    the device (from its token, never from the request body)
 * @param subjectId   the identified resident or visitor; null before identity (and for a stranger)
 * @param subjectType {@link SubjectType#UNKNOWN} before identity
 * @param readings    what the terminal measured ({@link Readings#NONE} when nothing)
 * @param frame       the capture frame (JPEG) when there is one, e.g. for an ID-card photo vs live face check; null for
 *                    a credential without a frame. Never stored.
 */
public record ScreeningInput(String communityId, String deviceId, String subjectId, SubjectType subjectType,
                             Readings readings, byte[] frame) {
    public ScreeningInput {
        readings = readings == null ? Readings.NONE : readings;
        subjectType = subjectType == null ? SubjectType.UNKNOWN : subjectType;
    }
}
