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
 * @param liveTemplate the frame's face template as the gate's identification computed it (so a 1:1 check need not
 *                     compute it again); null before identity or without a face. Read only; never stored.
 */
public record ScreeningInput(String communityId, String deviceId, String subjectId, SubjectType subjectType,
                             Readings readings, byte[] frame, float[] liveTemplate) {
    public ScreeningInput {
        readings = readings == null ? Readings.NONE : readings;
        subjectType = subjectType == null ? SubjectType.UNKNOWN : subjectType;
    }

    /** Without a live template. */
    public ScreeningInput(String communityId, String deviceId, String subjectId, SubjectType subjectType,
                          Readings readings, byte[] frame) {
        this(communityId, deviceId, subjectId, subjectType, readings, frame, null);
    }
}
