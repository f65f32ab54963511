package org.gatehouse.whitelist.internal;

import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.CredentialRepository.FacesEnded;
import org.gatehouse.api.service.Scope;
import org.gatehouse.faces.api.FaceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** This node's face gallery following what the store did to a resident's faces. */
final class Gallery {
    private static final Logger LOG = LoggerFactory.getLogger(Gallery.class);
    private final FaceRegistry faces;
    private final CredentialRepository credentials;

    Gallery(FaceRegistry faces, CredentialRepository credentials) {
        this.faces = faces;
        this.credentials = credentials;
    }

    /**
     * Ends the faces of a resident: the store deletes the templates, revokes the face credentials and writes their
     * credential changes (REVOKED, FACE_DELETED) in one transaction; then this node's gallery follows the store.
     *
     * @param always tell the terminals even if nothing was known here (consent withdrawn: be sure)
     */
    FacesEnded endFaces(Scope scope, String communityId, String residentId, boolean always) {
        FacesEnded ended = credentials.endFaces(scope, residentId, always);
        refresh(scope, communityId, residentId);
        return ended;
    }

    /**
     * The store changed the resident's templates; this node's gallery takes them from the store again now (other
     * nodes do when the credential change reaches them). If that fails the change is still done and the face already
     * out of the gallery (the registry removes first); the FACE_DELETED / REVOKED event retries the refresh.
     */
    void refresh(Scope scope, String communityId, String residentId) {
        try {
            faces.refresh(scope, communityId, residentId);
        } catch (RuntimeException e) {
            LOG.warn("Gallery of community {} not refreshed for resident {} yet (the credential change will): {}",
                    communityId, residentId, e.toString());
        }
    }
}
