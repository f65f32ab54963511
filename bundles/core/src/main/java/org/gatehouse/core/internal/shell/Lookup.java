package org.gatehouse.core.internal.shell;

import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;

/** Lets shell users name a community by its code as well as by its id. */
final class Lookup {
    private Lookup() {
    }

    static String communityId(CommunityRepository communities, String codeOrId) {
        return communities.communityByCode(Scope.all(), codeOrId)
                .or(() -> communities.community(Scope.all(), codeOrId))
                .orElseThrow(() -> new NotFoundException("community", codeOrId)).id();
    }
}
