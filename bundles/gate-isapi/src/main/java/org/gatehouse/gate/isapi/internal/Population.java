package org.gatehouse.gate.isapi.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Who may be on a community's terminals, as the store says now. */
interface Population {
    /** A registered (not removed) resident, if any: community, name, home building and lease window. */
    Optional<Member> member(String residentId);

    /** Every registered resident of the community. */
    List<Member> members(String communityId);

    /** The face photo kept for the resident's terminals (a small JPEG), if one is. */
    Optional<byte[]> facePhoto(String residentId);

    record Member(String residentId, String communityId, String name, String buildingId, Instant validFrom,
                  Instant validUntil) {
    }
}
