package org.gatehouse.faces.internal.rest;

import java.util.Set;

import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.faces.api.FaceRestErrors;
import org.gatehouse.recognition.api.FaceAnalysis;
import org.gatehouse.recognition.api.FaceEngine;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code POST /api/faces/detect} and {@code POST /api/faces/identify}: multipart/form-data with the
 * image (JPEG, PNG, BMP or WebP) in the part {@code image}. Face errors answer with their stable code
 * and a message in the caller's language (Accept-Language zh-CN or en).
 */
@Component(service = RestResource.class)
public class FaceResource implements RestResource {
    /** Uploads beyond this are cut off unread (the engine's own limit is lower). */
    static final int MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
    private static final Set<String> CALLERS = Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE, Roles.POLICE,
            Roles.PROPERTY, Roles.DEVICE);

    private final FaceEngine engine;
    private final FaceRegistry registry;

    @Activate
    public FaceResource(@Reference FaceEngine engine, @Reference FaceRegistry registry) {
        this.engine = engine;
        this.registry = registry;
    }

    @Override
    public String tag() {
        return "faces";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.post("/faces/detect", CALLERS, "Faces in an image: boxes, landmarks, quality, liveness score "
                + "(multipart part 'image')", null, FaceAnalysis.class, r -> FaceRestErrors.call(r, () -> engine.analyze(image(r))));
        routes.post("/faces/identify", CALLERS, "Who the main face is among a community's enrolled residents "
                + "(multipart part 'image'; query communityId, k)", null, FaceRegistry.Identification.class, r -> {
                    String community = community(r);
                    int k = r.queryInt("k", 5, 1, 50);
                    byte[] image = image(r);
                    return FaceRestErrors.call(r, () -> registry.identify(r.caller().scope(), community, image, k));
                });
    }

    private static byte[] image(RestRequest r) throws java.io.IOException {
        return r.partBytes("image", MAX_UPLOAD_BYTES);
    }

    /** A device identifies in its own community; people name one they may see. */
    private static String community(RestRequest r) {
        Scope scope = r.caller().scope();
        return r.query("communityId").orElseGet(() -> {
            if (r.caller().hasRole(Roles.DEVICE) && scope.communityIds().size() == 1) {
                return scope.communityIds().iterator().next();
            }
            throw new IllegalArgumentException("communityId is required");
        });
    }

}
