package org.gatehouse.faces.internal;

import org.gatehouse.recognition.api.FaceGallery;
import org.gatehouse.recognition.api.GalleryBands;
import org.gatehouse.recognition.api.OperatingBands;

/**
 * Operating bands with fixed thresholds, whatever the gallery's size (tests of what reads the bands, not of how they
 * are derived): accept at {@code accept}, verify and reject at {@code reject}.
 */
public class FixedBands implements GalleryBands {
    private final FaceGallery gallery;
    private final float accept;
    private final float reject;

    public FixedBands(FaceGallery gallery, float accept, float reject) {
        this.gallery = gallery;
        this.accept = accept;
        this.reject = reject;
    }

    /** One threshold: accept or reject, no verify band. */
    public FixedBands(FaceGallery gallery, float threshold) {
        this(gallery, threshold, threshold);
    }

    @Override
    public OperatingBands bands(String communityId) {
        return bandsFor(communityId, gallery == null ? 0 : gallery.size(communityId));
    }

    @Override
    public OperatingBands bandsFor(String communityId, int templates) {
        return new OperatingBands(communityId, templates, 0.001, accept, reject, reject, 0, 0, 0, false, calibration());
    }

    @Override
    public String calibration() {
        return "fixed thresholds (test)";
    }
}
