package org.gatehouse.recognition.internal.osgi;

import java.util.Locale;

import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceGallery;
import org.gatehouse.recognition.api.GalleryBands;
import org.gatehouse.recognition.api.OperatingBands;
import org.gatehouse.recognition.internal.calibration.BandMath;
import org.gatehouse.recognition.internal.calibration.Calibration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GalleryBands} from the engine model's calibration (a resource of this bundle). A missing calibration, one
 * measured for another model, or a target out of range stops this component with one clear log line: identification
 * then stays unavailable rather than falling back to a fixed threshold.
 */
@Component(service = GalleryBands.class, configurationPid = BandsConfig.PID)
@Designate(ocd = BandsConfig.class)
public class GalleryBandsComponent implements GalleryBands {
    private static final Logger LOG = LoggerFactory.getLogger(GalleryBandsComponent.class);

    private final FaceGallery gallery;
    private final BandMath math;
    private final String calibration;
    private final double targetFpir;
    private final double verifyFmr;

    @Activate
    public GalleryBandsComponent(@Reference FaceEngine engine, @Reference FaceGallery gallery, BandsConfig config) {
        this(gallery, load(engine.modelId()), config.targetFpir(), config.verifyFalseMatchRate());
    }

    public GalleryBandsComponent(FaceGallery gallery, Calibration calibration, double targetFpir, double verifyFmr) {
        check(targetFpir, 1e-6, 0.1, "targetFpir");
        check(verifyFmr, 1e-7, 0.01, "verifyFalseMatchRate");
        this.gallery = gallery;
        this.math = new BandMath(calibration);
        this.calibration = calibration.modelId() + ", measured on " + calibration.dataset();
        this.targetFpir = targetFpir;
        this.verifyFmr = verifyFmr;
        OperatingBands at1000 = bandsFor("(1000 templates)", 1000);
        LOG.info("Gallery bands from the calibration of {}: target FPIR {}, 1:1 threshold {} (FMR {}); e.g. 1,000 "
                + "templates: accept ≥ {}", this.calibration, targetFpir, String.format(Locale.ROOT, "%.3f",
                at1000.verify()), verifyFmr, String.format(Locale.ROOT, "%.3f", at1000.accept()));
    }

    private static Calibration load(String modelId) {
        try {
            return Calibration.load(GalleryBandsComponent.class.getClassLoader(), modelId);
        } catch (IllegalStateException e) {
            LOG.error("Face identification is not available: {}", e.getMessage());
            throw e;
        }
    }

    private static void check(double value, double min, double max, String key) {
        if (!(value >= min && value <= max)) {
            String message = BandsConfig.PID + ": " + key + " = " + value + " is out of range [" + min + ", " + max
                    + "]; face identification is not available until it is corrected";
            LOG.error(message);
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public OperatingBands bands(String communityId) {
        return bandsFor(communityId, gallery.size(communityId));
    }

    @Override
    public OperatingBands bandsFor(String communityId, int templates) {
        return math.bands(communityId, Math.max(0, templates), targetFpir, verifyFmr);
    }

    @Override
    public String calibration() {
        return calibration;
    }
}
