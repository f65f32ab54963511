package org.gatehouse.faces.internal.rest;

import java.util.Locale;
import java.util.Set;

import org.gatehouse.api.service.OutOfScopeException;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.RestException;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.faces.api.FaceRegistry.Identification;
import org.gatehouse.recognition.api.FaceAnalysis;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.OperatingBands;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code POST /api/faces/detect} and {@code POST /api/faces/identify}: multipart/form-data with the
 * image (JPEG, PNG, BMP or WebP) in the part {@code image}. Face errors answer with their stable code
 * and a message in the caller's language (Accept-Language zh-CN or en).
 *
 * <p>Identify is a 1:N search of a community's residents by face, so it is for the office and city
 * administrators only (gates use {@link FaceRegistry} inside the platform, not this route), answers only
 * candidates at or above the match threshold (nobody learns who is "close" to a face), and every call that
 * reaches it is audited: who, which community, and the outcome (the matched subject and score, no match, or
 * why it failed), never the image.
 */
@Component(service = RestResource.class)
public class FaceResource implements RestResource {
    /** Uploads beyond this are cut off unread (the engine's own limit is lower). */
    static final int MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
    private static final Set<String> CALLERS = Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE, Roles.POLICE,
            Roles.PROPERTY, Roles.DEVICE);
    /** Who may search a community's residents by face. */
    static final Set<String> IDENTIFY_CALLERS = Roles.OFFICE;
    public static final String IDENTIFY = "face.identify";

    private final FaceEngine engine;
    private final FaceRegistry registry;
    private final AuditTrail audit;

    @Activate
    public FaceResource(@Reference FaceEngine engine, @Reference FaceRegistry registry, @Reference AuditTrails trails) {
        this.engine = engine;
        this.registry = registry;
        this.audit = trails.of("faces");
    }


    @Override
    public String tag() {
        return "faces";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.post("/faces/detect", CALLERS, "Faces in an image: boxes, landmarks, quality, liveness score "
                + "(multipart part 'image')", null, FaceAnalysis.class, r -> engine.analyze(image(r)));
        routes.post("/faces/enrolment-check", IDENTIFY_CALLERS, "Would this photo be accepted for enrolment (multipart part "
                + "'image')? The same checks as enrolling (one face, size between the eyes, frontal pose, sharpness, "
                + "brightness) and the verdict with its reason in the caller's language, before anything is saved; "
                + "nothing is stored", null, EnrolmentCheck.class, r -> {
                    byte[] image = image(r);
                    try {
                        return EnrolmentCheck.accepted(engine.enrollmentTemplate(image).face());
                    } catch (FaceException e) {
                        RestException refusal = org.gatehouse.faces.api.FaceRestErrors.toRest(e, r.locale());
                        if (refusal.status() >= 500 || refusal.status() == 413) {
                            throw e;
                        }
                        FaceAnalysis analysis;
                        try {
                            analysis = engine.analyze(image);
                        } catch (FaceException unreadable) {
                            throw e;
                        }
                        return EnrolmentCheck.refused(refusal.code(), refusal.getMessage(), analysis);
                    }
                });
        routes.post("/faces/identify", IDENTIFY_CALLERS, "Who the main face is among a community's enrolled residents "
                + "(multipart part 'image'; query communityId, k): the best score read against the gallery's "
                + "operating bands (band ACCEPT = the person; VERIFY = ask for a second factor, then a 1:1 check; "
                + "REJECT = nobody enrolled), the thresholds and expected error rates used, and as candidates only "
                + "subjects scoring at or above the reject threshold, never those below it. Office and city "
                + "administrators only; every call is audited (caller, community, outcome; never the image)", null,
                Identification.class,
                this::identify);
        routes.get("/faces/bands", IDENTIFY_CALLERS, "A community gallery's operating bands (query communityId): its "
                + "size, accept / verify / reject thresholds, the target and expected FPIR and FNIR, and the "
                + "calibration they come from", OperatingBands.class, r -> registry.bands(r.caller().scope(),
                r.query("communityId").filter(c -> !c.isBlank()).orElseThrow(
                        () -> new IllegalArgumentException("communityId is required"))));
    }

    private Object identify(RestRequest r) throws Exception {
        String actor = r.caller().name();
        String community = r.query("communityId").orElse(null);
        Identification id;
        try {
            if (community == null || community.isBlank()) {
                throw new IllegalArgumentException("communityId is required");
            }
            int k = r.queryInt("k", 5, 1, 50);
            id = registry.identify(r.caller().scope(), community, image(r), k);
        } catch (OutOfScopeException e) {
            audit.refused(actor, IDENTIFY + ".refused", community, null, "community not in the caller's scope");
            throw e;
        } catch (FaceException e) {
            audit.recordQuietly(actor, IDENTIFY, community, null, "failed: " + e.code());
            throw e;
        } catch (Exception e) {
            audit.recordQuietly(actor, IDENTIFY, community, null, "failed: " + (e instanceof RestException re ? re.code()
                    : e instanceof IllegalArgumentException ? "bad request: " + e.getMessage() : e.getClass().getSimpleName()));
            throw e;
        }
        Identification answer = id.forPeople();
        // before answering: if the audit log cannot take the entry, the call fails and the caller learns nothing
        audit.record(actor, IDENTIFY, community, answer.subjectId(), outcome(answer));
        return answer;
    }

    /** What the audit entry says: the band, the score and the thresholds, e.g. "ACCEPT, score 0.612 (accept 0.482)". */
    public static String outcome(Identification id) {
        return String.format(Locale.ROOT, "%s, score %.3f (accept %.3f, reject %.3f, gallery %d)", id.band(),
                id.score(), id.bands().accept(), id.bands().reject(), id.bands().gallerySize());
    }

    private static byte[] image(RestRequest r) throws java.io.IOException {
        return r.partBytes("image", MAX_UPLOAD_BYTES);
    }

    /**
     * The verdict on a photo for enrolment: accepted with the face's quality, or refused with the code and message
     * enrolling would answer ({@code faces}: how many faces were found, for the message next to the upload).
     */
    public record EnrolmentCheck(boolean accepted, String code, String message, int faces,
                                 org.gatehouse.recognition.api.Quality quality) {
        static EnrolmentCheck accepted(org.gatehouse.recognition.api.DetectedFace face) {
            return new EnrolmentCheck(true, null, null, 1, face == null ? null : face.quality());
        }

        static EnrolmentCheck refused(String code, String message, FaceAnalysis analysis) {
            return new EnrolmentCheck(false, code, message, analysis.faces().size(),
                    analysis.primary().map(org.gatehouse.recognition.api.DetectedFace::quality).orElse(null));
        }
    }
}
