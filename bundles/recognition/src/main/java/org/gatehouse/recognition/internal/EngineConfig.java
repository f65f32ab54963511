package org.gatehouse.recognition.internal;

import org.gatehouse.recognition.internal.osgi.RecognitionConfig;
import org.gatehouse.recognition.internal.osgi.RecognitionConfigs;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Settings of the face engine. Every configurable value and its default come from the metatype
 * ({@link RecognitionConfig}); {@link #builder()} starts from those defaults and call sites name what
 * they change: {@code EngineConfig.builder().poolSize(1).queueSize(0).build()}. Three values are not
 * settings (fixed here): OpenCV threads 1, detection padded to 4:3, landmark crop padded with black.
 */
public final class EngineConfig {

    private final Path modelDirectory; // null = models inside the bundle
    private final String detector; // "faceplugin" or "yunet"
    private final Path yunetModel; // model file for "yunet"
    private final float detectorThreshold;
    private final float nmsIou;
    private final int poolSize; // inference workers; <= 0 = number of cores
    private final long maxImageBytes;
    private final long maxImagePixels;
    private final int maxImageSide;
    private final boolean flipTta;
    private final float minInterEyeDistance; // enrollment
    private final float minInterEyeDistanceIdentify; // identification (embed)
    private final float maxYaw; // enrollment frontal check
    private final float maxRoll; // degrees
    private final float minSharpness; // enrollment blur check
    private final float minBrightness;
    private final float maxBrightness;
    private final int opencvThreads; // not a setting: OpenCV's own threads (1: the workers are the parallelism)
    private final float detectPad; // black margin (fraction of the longer side) added before detection
    private final boolean detectAspect; // not a setting: pad to 4:3 before stretching to 320x240
    private final boolean landmarkPad; // not a setting: landmark crop may extend into a black border instead of being shifted inside
    private final int queueSize; // requests that may wait for a free worker; more are refused (busy)
    private final long maxImagePixelsIdentify; // pixel limit of images to identify (embed: gate frames, probes)
    private final float secondEmbedderWeight; // not a setting (yet): weight of the face-api.js embedder's cosine, 0 = off

    private EngineConfig(Builder b) {
        this.modelDirectory = b.modelDirectory;
        this.detector = b.detector;
        this.yunetModel = b.yunetModel;
        this.detectorThreshold = b.detectorThreshold;
        this.nmsIou = b.nmsIou;
        this.poolSize = b.poolSize;
        this.maxImageBytes = b.maxImageBytes;
        this.maxImagePixels = b.maxImagePixels;
        this.maxImageSide = b.maxImageSide;
        this.flipTta = b.flipTta;
        this.minInterEyeDistance = b.minInterEyeDistance;
        this.minInterEyeDistanceIdentify = b.minInterEyeDistanceIdentify;
        this.maxYaw = b.maxYaw;
        this.maxRoll = b.maxRoll;
        this.minSharpness = b.minSharpness;
        this.minBrightness = b.minBrightness;
        this.maxBrightness = b.maxBrightness;
        this.opencvThreads = b.opencvThreads;
        this.detectPad = b.detectPad;
        this.detectAspect = b.detectAspect;
        this.landmarkPad = b.landmarkPad;
        this.queueSize = b.queueSize;
        this.maxImagePixelsIdentify = b.maxImagePixelsIdentify;
        this.secondEmbedderWeight = b.secondEmbedderWeight;
    }

    /** The metatype defaults. */
    public static EngineConfig defaults() {
        return builder().build();
    }

    /** A builder holding the metatype defaults. */
    public static Builder builder() {
        return from(RecognitionConfigs.defaults());
    }

    /** A builder holding the values of a configuration (blank paths = none). */
    public static Builder from(RecognitionConfig c) {
        Builder b = new Builder();
        b.modelDirectory = path(c.modelDirectory());
        b.detector = c.detector();
        b.yunetModel = path(c.yunetModel());
        b.detectorThreshold = c.detectorThreshold();
        b.nmsIou = c.nmsIou();
        b.poolSize = c.poolSize();
        b.maxImageBytes = c.maxImageBytes();
        b.maxImagePixels = c.maxImagePixels();
        b.maxImageSide = c.maxImageSide();
        b.flipTta = c.flipTta();
        b.minInterEyeDistance = c.minInterEyeDistance();
        b.minInterEyeDistanceIdentify = c.minInterEyeDistanceIdentify();
        b.maxYaw = c.maxYaw();
        b.maxRoll = c.maxRoll();
        b.minSharpness = c.minSharpness();
        b.minBrightness = c.minBrightness();
        b.maxBrightness = c.maxBrightness();
        b.detectPad = c.detectPad();
        b.queueSize = c.queueSize();
        b.maxImagePixelsIdentify = c.maxImagePixelsIdentify();
        return b;
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Paths.get(s.trim());
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.modelDirectory = modelDirectory;
        b.detector = detector;
        b.yunetModel = yunetModel;
        b.detectorThreshold = detectorThreshold;
        b.nmsIou = nmsIou;
        b.poolSize = poolSize;
        b.maxImageBytes = maxImageBytes;
        b.maxImagePixels = maxImagePixels;
        b.maxImageSide = maxImageSide;
        b.flipTta = flipTta;
        b.minInterEyeDistance = minInterEyeDistance;
        b.minInterEyeDistanceIdentify = minInterEyeDistanceIdentify;
        b.maxYaw = maxYaw;
        b.maxRoll = maxRoll;
        b.minSharpness = minSharpness;
        b.minBrightness = minBrightness;
        b.maxBrightness = maxBrightness;
        b.opencvThreads = opencvThreads;
        b.detectPad = detectPad;
        b.detectAspect = detectAspect;
        b.landmarkPad = landmarkPad;
        b.queueSize = queueSize;
        b.maxImagePixelsIdentify = maxImagePixelsIdentify;
        b.secondEmbedderWeight = secondEmbedderWeight;
        return b;
    }

    public Path modelDirectory() {
        return modelDirectory;
    }

    public String detector() {
        return detector;
    }

    public Path yunetModel() {
        return yunetModel;
    }

    public float detectorThreshold() {
        return detectorThreshold;
    }

    public float nmsIou() {
        return nmsIou;
    }

    public int poolSize() {
        return poolSize;
    }

    public long maxImageBytes() {
        return maxImageBytes;
    }

    public long maxImagePixels() {
        return maxImagePixels;
    }

    public int maxImageSide() {
        return maxImageSide;
    }

    public boolean flipTta() {
        return flipTta;
    }

    /**
     * Weight of the second embedder (face-api.js, {@code FaceApiGraph}) in a template's score: the template is the
     * concatenation [sqrt(1-w) * first, sqrt(w) * second] of the two unit vectors, so a cosine of two templates is
     * (1-w) * cosine of the first + w * cosine of the second. 0 = the first embedder only.
     */
    public float secondEmbedderWeight() {
        return secondEmbedderWeight;
    }

    public float minInterEyeDistance() {
        return minInterEyeDistance;
    }

    public float minInterEyeDistanceIdentify() {
        return minInterEyeDistanceIdentify;
    }

    public float maxYaw() {
        return maxYaw;
    }

    public float maxRoll() {
        return maxRoll;
    }

    public float minSharpness() {
        return minSharpness;
    }

    public float minBrightness() {
        return minBrightness;
    }

    public float maxBrightness() {
        return maxBrightness;
    }

    public int opencvThreads() {
        return opencvThreads;
    }

    public float detectPad() {
        return detectPad;
    }

    public boolean detectAspect() {
        return detectAspect;
    }

    public boolean landmarkPad() {
        return landmarkPad;
    }

    public int queueSize() {
        return queueSize;
    }

    public long maxImagePixelsIdentify() {
        return maxImagePixelsIdentify;
    }

    /** Pixel limit for {@code embed}: the lower of the general limit and the one for images to identify. */
    public long effectiveMaxImagePixelsIdentify() {
        return maxImagePixelsIdentify > 0 ? Math.min(maxImagePixels, maxImagePixelsIdentify) : maxImagePixels;
    }

    public int effectiveQueueSize() {
        return Math.max(0, queueSize);
    }

    public int effectivePoolSize() {
        return poolSize > 0 ? poolSize : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Sets values by name; {@link #build()} makes the (immutable) configuration. */
    public static final class Builder {
        private Path modelDirectory;
        private String detector;
        private Path yunetModel;
        private float detectorThreshold;
        private float nmsIou;
        private int poolSize;
        private long maxImageBytes;
        private long maxImagePixels;
        private int maxImageSide;
        private boolean flipTta;
        private float secondEmbedderWeight;
        private float minInterEyeDistance;
        private float minInterEyeDistanceIdentify;
        private float maxYaw;
        private float maxRoll;
        private float minSharpness;
        private float minBrightness;
        private float maxBrightness;
        private int opencvThreads = 1;
        private float detectPad;
        private boolean detectAspect = true;
        private boolean landmarkPad = true;
        private int queueSize;
        private long maxImagePixelsIdentify;

        private Builder() {
        }

        public Builder modelDirectory(Path v) {
            this.modelDirectory = v;
            return this;
        }

        public Builder detector(String v) {
            this.detector = v;
            return this;
        }

        public Builder yunetModel(Path v) {
            this.yunetModel = v;
            return this;
        }

        public Builder detectorThreshold(float v) {
            this.detectorThreshold = v;
            return this;
        }

        public Builder nmsIou(float v) {
            this.nmsIou = v;
            return this;
        }

        public Builder poolSize(int v) {
            this.poolSize = v;
            return this;
        }

        public Builder maxImageBytes(long v) {
            this.maxImageBytes = v;
            return this;
        }

        public Builder maxImagePixels(long v) {
            this.maxImagePixels = v;
            return this;
        }

        public Builder maxImageSide(int v) {
            this.maxImageSide = v;
            return this;
        }

        public Builder secondEmbedderWeight(float w) {
            if (!(w >= 0f && w < 1f)) {
                throw new IllegalArgumentException("secondEmbedderWeight must be in [0, 1): " + w);
            }
            this.secondEmbedderWeight = w;
            return this;
        }

        public Builder flipTta(boolean v) {
            this.flipTta = v;
            return this;
        }

        public Builder minInterEyeDistance(float v) {
            this.minInterEyeDistance = v;
            return this;
        }

        public Builder minInterEyeDistanceIdentify(float v) {
            this.minInterEyeDistanceIdentify = v;
            return this;
        }

        public Builder maxYaw(float v) {
            this.maxYaw = v;
            return this;
        }

        public Builder maxRoll(float v) {
            this.maxRoll = v;
            return this;
        }

        public Builder minSharpness(float v) {
            this.minSharpness = v;
            return this;
        }

        public Builder minBrightness(float v) {
            this.minBrightness = v;
            return this;
        }

        public Builder maxBrightness(float v) {
            this.maxBrightness = v;
            return this;
        }

        public Builder opencvThreads(int v) {
            this.opencvThreads = v;
            return this;
        }

        public Builder detectPad(float v) {
            this.detectPad = v;
            return this;
        }

        public Builder detectAspect(boolean v) {
            this.detectAspect = v;
            return this;
        }

        public Builder landmarkPad(boolean v) {
            this.landmarkPad = v;
            return this;
        }

        public Builder queueSize(int v) {
            this.queueSize = v;
            return this;
        }

        public Builder maxImagePixelsIdentify(long v) {
            this.maxImagePixelsIdentify = v;
            return this;
        }

        public EngineConfig build() {
            return new EngineConfig(this);
        }
    }
}
