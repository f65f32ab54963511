package org.gatehouse.recognition.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration PID org.gatehouse.recognition (etc/org.gatehouse.recognition.cfg in Karaf), read by the face
 * engine and the gallery components. The one place where each setting and its default are declared: code
 * outside OSGi takes them from {@link RecognitionConfigs}.
 */
@ObjectClassDefinition(id = "org.gatehouse.recognition", name = "Gatehouse face recognition",
        description = "Face detection, templates, liveness and gallery search")
public @interface RecognitionConfig {

    @AttributeDefinition(name = "Model directory",
            description = "Directory with fr_detect/fr_landmark/fr_feature/fr_liveness .onnx; empty = models inside the bundle")
    String modelDirectory() default "";

    @AttributeDefinition(name = "Detector", options = {
        @Option(label = "faceplugin fr_detect (bundled)", value = "faceplugin"),
        @Option(label = "OpenCV YuNet (model file required)", value = "yunet")})
    String detector() default "faceplugin";

    @AttributeDefinition(name = "YuNet model file", description = "Path of the YuNet .onnx when detector = yunet")
    String yunetModel() default "";

    @AttributeDefinition(name = "Detector score threshold", min = "0", max = "1")
    float detectorThreshold() default 0.65f;

    @AttributeDefinition(name = "NMS IoU threshold", min = "0", max = "1")
    float nmsIou() default 0.4f;

    @AttributeDefinition(name = "Inference workers", min = "0", description = "0 = one per CPU core. Images are decoded "
            + "by the workers, so at most this many are held decoded at once (an 8000x5000 image is 120 MB)")
    int poolSize() default 0;

    @AttributeDefinition(name = "Requests waiting for a worker", min = "0",
            description = "Requests that may wait for a free inference worker (holding only their compressed "
                    + "image); more at once are refused immediately with ENGINE_UNAVAILABLE (HTTP 503: busy, try "
                    + "again). 0 = none wait")
    int queueSize() default 16;

    @AttributeDefinition(name = "Max image bytes", min = "1")
    long maxImageBytes() default 10L * 1024 * 1024;

    @AttributeDefinition(name = "Max image pixels", min = "1", description = "Larger images are refused from their header "
            + "with IMAGE_DIMENSIONS_TOO_LARGE before decoding (detection and enrollment photos)")
    long maxImagePixels() default 40_000_000L;

    @AttributeDefinition(name = "Max image pixels to identify", min = "0",
            description = "Pixel limit of images whose face is identified (gate frames, identification probes: "
                    + "embed); the lower of this and 'Max image pixels' applies. 16 MP takes a 4K camera frame or "
                    + "a 12 MP phone photo; the detector looks at 320x240 of any image. 0 = same as 'Max image pixels'")
    long maxImagePixelsIdentify() default 16_000_000L;

    @AttributeDefinition(name = "Max image side (px)", min = "1")
    int maxImageSide() default 8000;

    @AttributeDefinition(name = "Horizontal-flip test-time augmentation",
            description = "Averages the template of the mirrored face; +50 % embed time, accuracy within noise")
    boolean flipTta() default false;

    @AttributeDefinition(name = "Min inter-eye distance for enrollment (px)", min = "0",
            description = "enrollmentTemplate refuses smaller faces with FACE_TOO_SMALL (a template kept for years)")
    float minInterEyeDistance() default 40f;

    @AttributeDefinition(name = "Min inter-eye distance for identification (px)", min = "0",
            description = "embed (gate frames, identification probes) refuses smaller faces with FACE_TOO_SMALL; "
                    + "18 px: a door camera sees a visitor at a distance with 20-24 px between the eyes, and the measured "
                    + "distance scatters by about 2 px (SmallFaceBench)")
    float minInterEyeDistanceIdentify() default 18f;

    @AttributeDefinition(name = "Max yaw for enrollment", min = "0", description = "nose offset / eye distance")
    float maxYaw() default 0.25f;

    @AttributeDefinition(name = "Max roll for enrollment (degrees)", min = "0", max = "180")
    float maxRoll() default 20f;

    @AttributeDefinition(name = "Min sharpness for enrollment", min = "0", description = "Laplacian variance of the aligned face")
    float minSharpness() default 20f;

    @AttributeDefinition(name = "Min brightness for enrollment", min = "0", max = "255", description = "Mean grey of the aligned face")
    float minBrightness() default 40f;

    @AttributeDefinition(name = "Max brightness for enrollment", min = "0", max = "255", description = "Mean grey of the aligned face")
    float maxBrightness() default 220f;

    @AttributeDefinition(name = "Detection padding", min = "0", description = "Black margin (fraction of the longer side) added before detection")
    float detectPad() default 0.2f;

    @AttributeDefinition(name = "Approximate gallery search threshold", min = "0",
            description = "Communities with more templates than this are searched approximately (see the method); 0 = always exact. Exact search is ~4-7 ms per 100k templates on one core with the Vector API kernel, so only city-scale galleries need this")
    int galleryApproximateThreshold() default 200_000;

    @AttributeDefinition(name = "Approximate search method",
            description = "sketch: 256-bit sign sketches scanned in full, the nearest rows scored exactly (no index build; recall independent of the data's structure). hnsw: Lucene HNSW graph, built in the background (minutes of every core at 100k+), its candidates scored exactly",
            options = {@Option(label = "sketch", value = "sketch"), @Option(label = "hnsw", value = "hnsw")})
    String galleryApproximateMethod() default "sketch";

    @AttributeDefinition(name = "Sketch candidates", min = "1",
            description = "Rows nearest in sketch distance that an approximate search scores exactly (method sketch); higher = better recall, slower")
    int gallerySketchCandidates() default 4_000;

    @AttributeDefinition(name = "Approximate index search beam (efSearch)", min = "1",
            description = "Candidates taken from the HNSW graph and re-ranked exactly; higher = better recall, slower")
    int galleryEfSearch() default 128;

    @AttributeDefinition(name = "Approximate index graph degree (M)", min = "2",
            description = "Method hnsw. Higher = better recall per efSearch, slower build, more memory; 32 with efSearch 128 at 100k: recall@1 100 % with near-duplicate probes, 87 % at probe cosine 0.53; at 1M 74 % at cosine 0.91, 41 % at 0.66 (README)")
    int galleryMaxConn() default 32;

    @AttributeDefinition(name = "Approximate index construction beam", min = "2", description = "Method hnsw")
    int galleryBeamWidth() default 100;
}
