package org.gatehouse.screening.internal;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.gatehouse.gate.api.CheckSetting;
import org.gatehouse.gate.api.ScreeningCheck;
import org.gatehouse.gate.api.ScreeningInput;
import org.gatehouse.gate.api.ScreeningResult;
import org.gatehouse.gate.api.ScreeningResult.Outcome;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceTemplate;
import org.gatehouse.recognition.api.GalleryBands;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ID card vs live face (人证比对): the photo read from the ID card's chip and the live frame each get a template from
 * the recognition engine ({@link FaceEngine#embed}, the primary face), and their cosine is held against the engine's
 * 1:1 threshold — the {@code verify} threshold of the community's {@link GalleryBands operating bands} (0.402 with
 * the shipped calibration, 1:1 false-match rate 1e-4), the same threshold a face is checked at after a second
 * factor.
 * <ul>
 *   <li>score ≥ threshold: {@code PASSED} (score, threshold); below: {@code FAILED ID_PHOTO_MISMATCH} (score,
 *       threshold);</li>
 *   <li>no ID-card photo: {@code NOT_MEASURED READING_MISSING}; no frame (a credential without a camera frame):
 *       {@code NOT_MEASURED FRAME_MISSING};</li>
 *   <li>a photo that cannot be compared — not an image, corrupt, no face, face too small — {@code FAILED
 *       ID_PHOTO_UNUSABLE}; a frame without a usable face {@code FAILED LIVE_FACE_UNUSABLE} (the detail names the
 *       engine's code). These are what the person at the door presents, so they fail (and raise the gate's alert)
 *       rather than count as not measured;</li>
 *   <li>the engine or its thresholds unavailable (not started, no calibration, every worker busy):
 *       {@code NOT_MEASURED ENGINE_UNAVAILABLE} — the check itself stays registered without them, so a hard rule
 *       still denies instead of the check silently disappearing.</li>
 * </ul>
 * The photo and the frame are only handed to the engine: never kept, never logged; results carry codes and numbers.
 * Cost: after identity one embedding (the ID-card photo's, ~9 ms on one core): the gate hands over the frame's
 * template ({@link ScreeningInput#liveTemplate()}); before identity two (the frame's in addition to the gate's own).
 * Neither runs the liveness model.
 */
@Component(service = ScreeningCheck.class, configurationPid = IdCardConfig.PID)
@Designate(ocd = IdCardConfig.class)
public class IdCardCheck implements ScreeningCheck {
    public static final String NAME = "id-card";
    static final String MISMATCH = "ID_PHOTO_MISMATCH";
    static final String ID_PHOTO_UNUSABLE = "ID_PHOTO_UNUSABLE";
    static final String LIVE_FACE_UNUSABLE = "LIVE_FACE_UNUSABLE";
    static final String FRAME_MISSING = "FRAME_MISSING";
    static final String ENGINE_UNAVAILABLE = "ENGINE_UNAVAILABLE";
    /** Engine failures that say nothing about the images: the comparison was not made. */
    private static final Set<FaceException.Code> ENGINE_FAULTS = EnumSet.of(FaceException.Code.ENGINE_UNAVAILABLE,
            FaceException.Code.INTERNAL_ERROR, FaceException.Code.DIMENSION_MISMATCH);
    private static final Logger LOG = LoggerFactory.getLogger(IdCardCheck.class);

    /*
     * Optional and dynamic on purpose (field injection instead of the constructor): without the engine or its bands
     * the check must still be there and answer NOT_MEASURED, so that a hard rule keeps denying.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FaceEngine engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile GalleryBands bands;

    private volatile CommunitySettings settings;

    @Activate
    public IdCardCheck(IdCardConfig config) {
        modified(config);
    }

    /** For tests: the engine and bands given. */
    IdCardCheck(IdCardConfig config, FaceEngine engine, GalleryBands bands) {
        this(config);
        this.engine = engine;
        this.bands = bands;
    }

    @Modified
    void modified(IdCardConfig config) {
        CommunitySettings parsed = CommunitySettings.parse(IdCardConfig.PID, config.defaultMode(),
                config.defaultStage(), config.communities());
        settings = parsed;
        Checks.log(LOG, NAME, parsed, "threshold: the engine's 1:1 (verify) threshold");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckSetting setting(String communityId) {
        return settings.setting(communityId);
    }

    @Override
    public ScreeningResult check(ScreeningInput in) {
        byte[] photo = in.readings().idCardPhoto();
        if (photo == null || photo.length == 0) {
            return notMeasured(Checks.READING_MISSING, null, "no ID-card photo sent");
        }
        byte[] frame = in.frame();
        if (frame == null || frame.length == 0) {
            return notMeasured(FRAME_MISSING, null, "no live frame to compare the ID-card photo with");
        }
        FaceEngine e = engine;
        GalleryBands b = bands;
        if (e == null || b == null) {
            return notMeasured(ENGINE_UNAVAILABLE, null, e == null ? "no face engine" : "no operating bands");
        }
        double threshold;
        try {
            threshold = b.bands(in.communityId()).verify();
        } catch (RuntimeException ex) {
            LOG.warn("id-card check: no 1:1 threshold for community {}: {}", in.communityId(), ex.toString());
            return notMeasured(ENGINE_UNAVAILABLE, null, "no 1:1 threshold");
        }
        FaceTemplate card;
        try {
            card = e.embed(photo, false);
        } catch (FaceException ex) {
            return unusable(ex, ID_PHOTO_UNUSABLE, "ID-card photo", threshold);
        }
        float[] live = in.liveTemplate();
        if (live == null) { // before identity: the gate has not embedded the frame yet
            try {
                live = e.embed(frame, false).vector();
            } catch (FaceException ex) {
                return unusable(ex, LIVE_FACE_UNUSABLE, "live frame", threshold);
            }
        }
        double score;
        try {
            score = e.similarity(card.vector(), live);
        } catch (FaceException ex) {
            return notMeasured(ENGINE_UNAVAILABLE, threshold, "templates not comparable: " + ex.code());
        }
        if (!Double.isFinite(score)) {
            return notMeasured(ENGINE_UNAVAILABLE, threshold, "no score");
        }
        if (score >= threshold) {
            return ScreeningResult.passed(NAME, score, threshold);
        }
        return new ScreeningResult(NAME, Outcome.FAILED, MISMATCH, score, threshold,
                String.format(Locale.ROOT, "ID-card photo vs live face %.3f < %.3f", score, threshold));
    }

    private static ScreeningResult unusable(FaceException ex, String code, String what, double threshold) {
        if (ENGINE_FAULTS.contains(ex.code())) {
            return notMeasured(ENGINE_UNAVAILABLE, threshold, what + ": engine " + ex.code());
        }
        return new ScreeningResult(NAME, Outcome.FAILED, code, null, threshold, what + ": " + ex.code());
    }

    private static ScreeningResult notMeasured(String code, Double threshold, String detail) {
        return new ScreeningResult(NAME, Outcome.NOT_MEASURED, code, null, threshold, detail);
    }
}
