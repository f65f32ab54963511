package org.gatehouse.faces.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.service.FaceTemplateRepository;
import org.gatehouse.api.service.FaceTemplateRepository.ResidentFace;
import org.gatehouse.api.service.FaceTemplateRepository.StoredTemplate;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.TerminalFaceDemand;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceGallery;
import org.gatehouse.recognition.api.GalleryBands;
import org.gatehouse.recognition.api.OperatingBands;
import org.gatehouse.recognition.api.StageTimes;
import org.gatehouse.recognition.api.OperatingBands.Band;
import org.gatehouse.recognition.api.FaceTemplate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each community's gallery in step with the templates in the store: a gallery is filled from
 * the store the first time its community is used, then every enrollment and removal goes to the store
 * first and to the gallery second, so a crash between the two leaves the store (the truth) complete.
 * <p>
 * Changes of one subject's templates (store, then gallery) are serialised per subject on this node, so a
 * removal can never be overtaken by the gallery step of an enrollment that committed before it. Other nodes'
 * galleries follow the {@code FACE_DELETED} / FACE {@code REVOKED} credential changes ({@link FaceChangeFollower},
 * which calls {@link #refresh}).
 */
@Component(service = FaceRegistry.class)
public class StoredFaceRegistry implements FaceRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(StoredFaceRegistry.class);

    private final FaceEngine engine;
    private final FaceGallery gallery;
    private final FaceTemplateRepository templates;
    private final GalleryBands bands;
    private final Set<String> loaded = ConcurrentHashMap.newKeySet();
    /** Device adapters whose terminals match faces themselves and so need a photo of each enrolled face. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<TerminalFaceDemand> demands = List.of();
    private final Map<String, Object> loadLocks = new ConcurrentHashMap<>();
    /** Per-subject serialisation of store-then-gallery steps (striped: bounded memory). */
    private final Object[] subjectLocks = new Object[64];

    @Activate
    public StoredFaceRegistry(@Reference FaceEngine engine, @Reference FaceGallery gallery,
                              @Reference FaceTemplateRepository templates, @Reference GalleryBands bands) {
        this.engine = engine;
        this.gallery = gallery;
        this.templates = templates;
        this.bands = bands;
        for (int i = 0; i < subjectLocks.length; i++) {
            subjectLocks[i] = new Object();
        }
    }

    private Object subjectLock(String communityId, String subjectId) {
        return subjectLocks[Math.floorMod((communityId + "/" + subjectId).hashCode(), subjectLocks.length)];
    }

    @Override
    public Enrollment enroll(Scope scope, String communityId, String subjectId, byte[] image) {
        scope.check(communityId);
        if (subjectId == null || subjectId.isBlank()) {
            throw new IllegalArgumentException("subjectId is required");
        }
        FaceTemplate template = engine.enrollmentTemplate(image);
        ensureLoaded(communityId);
        synchronized (subjectLock(communityId, subjectId)) {
            StoredTemplate stored = templates.save(scope, communityId, subjectId, template.modelId(), template.vector());
            addOrUndo(scope, stored);
            return new Enrollment(stored.id(), communityId, subjectId, template.modelId(), template.face());
        }
    }

    @Override
    public ResidentEnrollment enrollResident(Scope scope, String communityId, String residentId, byte[] image,
                                             String consentPurpose) {
        scope.check(communityId);
        if (residentId == null || residentId.isBlank()) {
            throw new IllegalArgumentException("residentId is required");
        }
        // the slow part first, holding nothing: a consent withdrawn meanwhile is seen by the store below
        FaceTemplate template = engine.enrollmentTemplate(image);
        byte[] photo = terminalPhoto(communityId, image, template);
        ensureLoaded(communityId);
        synchronized (subjectLock(communityId, residentId)) {
            ResidentFace saved = templates.saveResidentFace(scope, residentId, template.modelId(), template.vector(),
                    consentPurpose, photo);
            StoredTemplate stored = saved.template();
            if (!communityId.equals(stored.communityId())) {
                templates.delete(scope, stored.id()); // revokes the credential too
                throw new IllegalArgumentException("resident '" + residentId + "' is not in community '"
                        + communityId + "'");
            }
            addOrUndo(scope, stored);
            return new ResidentEnrollment(new Enrollment(stored.id(), communityId, residentId, template.modelId(),
                    template.face()), saved.credential());
        }
    }

    /** The face photo to keep for the community's face-matching terminals, or null when none asks for one. */
    private byte[] terminalPhoto(String communityId, byte[] image, FaceTemplate template) {
        for (TerminalFaceDemand demand : demands) {
            if (demand.keepsFacePhotos(communityId)) {
                return engine.facePhoto(image, template.face().box());
            }
        }
        return null;
    }

    /** The gallery step after the store committed; if it fails, the saved template (and its credential) goes. */
    private void addOrUndo(Scope scope, StoredTemplate stored) {
        try {
            gallery.add(stored.communityId(), stored.subjectId(), stored.vector());
        } catch (RuntimeException e) {
            try {
                templates.delete(scope, stored.id());
                resync(scope, stored.communityId(), stored.subjectId());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    @Override
    public int forget(Scope scope, String communityId, String subjectId) {
        scope.check(communityId);
        synchronized (subjectLock(communityId, subjectId)) {
            int removed = templates.deleteBySubject(scope, subjectId);
            gallery.remove(communityId, subjectId);
            return removed;
        }
    }

    @Override
    public void refresh(Scope scope, String communityId, String subjectId) {
        scope.check(communityId);
        if (subjectId == null || subjectId.isBlank()) {
            throw new IllegalArgumentException("subjectId is required");
        }
        synchronized (subjectLock(communityId, subjectId)) {
            resync(scope, communityId, subjectId);
        }
    }

    /**
     * This node's gallery takes the subject's stored templates (of this engine's model) instead of what it held:
     * removed first, so that if the store cannot be read the subject is not matched (fail closed) and the failure
     * is thrown for the caller to retry. A gallery not loaded yet is left alone (it will load the store).
     */
    private void resync(Scope scope, String communityId, String subjectId) {
        synchronized (loadLocks.computeIfAbsent(communityId, k -> new Object())) {
            if (!loaded.contains(communityId)) {
                return;
            }
        }
        gallery.remove(communityId, subjectId);
        for (StoredTemplate t : templates.templatesOf(scope, subjectId)) {
            if (t.communityId().equals(communityId) && t.modelId().equals(engine.modelId())) {
                gallery.add(communityId, subjectId, t.vector());
            }
        }
    }

    @Override
    public Identification identify(Scope scope, String communityId, byte[] image, int k) {
        Probed probed = identifyProbed(scope, communityId, image, k, true);
        java.util.Arrays.fill(probed.probe(), 0f);
        return probed.identification();
    }

    @Override
    public Probed identifyProbed(Scope scope, String communityId, byte[] image, int k, boolean liveness) {
        scope.check(communityId);
        FaceTemplate probe = engine.embed(image, liveness);
        return new Probed(identify(communityId, probe, k), probe.vector());
    }

    private Identification identify(String communityId, FaceTemplate probe, int k) {
        ensureLoaded(communityId);
        List<Candidate> candidates = gallery.search(communityId, probe.vector(), Math.max(1, k));
        OperatingBands now = bands.bands(communityId);
        StageTimes.lap(StageTimes.Stage.SEARCH);
        if (candidates.isEmpty()) {
            return new Identification(null, -1f, candidates, probe.face(), Band.REJECT, now);
        }
        Candidate best = candidates.get(0);
        Band band = now.band(best.score());
        return new Identification(band == Band.ACCEPT ? best.subjectId() : null, best.score(), candidates,
                probe.face(), band, now);
    }

    @Override
    public OperatingBands bands(Scope scope, String communityId) {
        scope.check(communityId);
        ensureLoaded(communityId);
        return bands.bands(communityId);
    }

    /** Fills the community's gallery from the store once (per registry instance, i.e. per gallery). */
    void ensureLoaded(String communityId) {
        if (loaded.contains(communityId)) {
            return;
        }
        synchronized (loadLocks.computeIfAbsent(communityId, k -> new Object())) {
            if (loaded.contains(communityId)) {
                return;
            }
            long start = System.nanoTime();
            gallery.clear(communityId);
            List<StoredTemplate> stored = templates.templates(Scope.all(), communityId, engine.modelId());
            for (StoredTemplate t : stored) {
                gallery.add(communityId, t.subjectId(), t.vector());
            }
            loaded.add(communityId);
            LOG.info("Gallery of community {} loaded: {} templates in {} ms", communityId, stored.size(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }
}
