package org.gatehouse.recognition.internal.osgi;

import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceGallery;
import org.gatehouse.recognition.api.GalleryStats;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.gatehouse.recognition.internal.gallery.QuantizedGallery;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * Publishes the in-memory {@link FaceGallery} (512-d). It holds no persistent state: the store
 * that owns the templates re-adds them at start (add is incremental, so this is cheap).
 */
@Component(service = FaceGallery.class, immediate = true, configurationPid = "org.gatehouse.recognition",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class FaceGalleryComponent implements FaceGallery {

    private static final Logger LOG = LoggerFactory.getLogger(FaceGalleryComponent.class);

    private final QuantizedGallery gallery;
    /** Communities from this size on build their approximate index in the background (seconds and more). */
    static final int BACKGROUND_BUILD_MIN = 2_000;

    @Activate
    public FaceGalleryComponent(RecognitionConfig c) {
        gallery = new QuantizedGallery(FaceEngineImpl.DIM);
        gallery.setBackgroundIndexBuild(BACKGROUND_BUILD_MIN);
        configure(c);
    }

    /** Configuration changes only adjust the index settings: the in-memory templates stay. */
    @Modified
    void modified(RecognitionConfig c) {
        configure(c);
    }

    private void configure(RecognitionConfig c) {
        int candidates = Math.max(1, c.gallerySketchCandidates());
        try {
            gallery.configureApproximateMethod(String.valueOf(c.galleryApproximateMethod()), candidates);
        } catch (IllegalArgumentException e) {
            LOG.warn("galleryApproximateMethod: {}; using sketch", e.getMessage());
            gallery.configureApproximateMethod("sketch", candidates);
        }
        gallery.configureApproximate(Math.max(0, c.galleryApproximateThreshold()), Math.max(1, c.galleryEfSearch()),
                Math.max(2, c.galleryMaxConn()), Math.max(2, c.galleryBeamWidth()));
    }

    @Deactivate
    void deactivate() {
        gallery.close();
    }

    @Override
    public void add(String communityId, String subjectId, float[] template) {
        gallery.add(communityId, subjectId, template);
    }

    @Override
    public int remove(String communityId, String subjectId) {
        return gallery.remove(communityId, subjectId);
    }

    @Override
    public int clear(String communityId) {
        return gallery.clear(communityId);
    }

    @Override
    public List<Candidate> search(String communityId, float[] probe, int k) {
        return gallery.search(communityId, probe, k);
    }

    @Override
    public float verify(String communityId, String subjectId, float[] probe) {
        return gallery.verify(communityId, subjectId, probe);
    }

    @Override
    public int size(String communityId) {
        return gallery.size(communityId);
    }

    @Override
    public GalleryStats stats(String communityId) {
        return gallery.stats(communityId);
    }

    @Override
    public Set<String> communities() {
        return gallery.communities();
    }

    @Override
    public void rebuild(String communityId) {
        gallery.rebuild(communityId);
    }

    @Override
    public int dimension() {
        return gallery.dimension();
    }
}
