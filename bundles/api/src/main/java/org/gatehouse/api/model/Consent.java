package org.gatehouse.api.model;

import java.time.Instant;

/** An informed-consent record (知情同意): what for, under which notice, how, by whom recorded. */
public record Consent(String id, String communityId, String residentId, String purpose, String noticeVersion,
                      String channel, Instant givenAt, Instant withdrawnAt, String recordedBy) {
    /** Purpose code for face recognition at the gates. */
    public static final String PURPOSE_FACE_ACCESS = "face-access";

    public Consent {
        Validation.require(id, "id");
        Validation.require(communityId, "communityId");
        Validation.require(residentId, "residentId");
        Validation.requireText(purpose, "purpose");
        Validation.requireText(noticeVersion, "noticeVersion");
        Validation.requireText(channel, "channel");
        Validation.require(givenAt, "givenAt");
    }

    public boolean isInForce() {
        return withdrawnAt == null;
    }
}
