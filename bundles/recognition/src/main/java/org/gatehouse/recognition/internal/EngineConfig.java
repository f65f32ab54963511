package org.gatehouse.recognition.internal;

import java.nio.file.Path;

/** Plain configuration of the face engine (the OSGi metatype maps onto it). */
public record EngineConfig(
        Path modelDirectory,          // null = models inside the bundle
        String detector,              // "faceplugin" or "yunet"
        Path yunetModel,              // model file for "yunet"
        float detectorThreshold,      // 0.65
        float nmsIou,                 // 0.4
        int poolSize,                 // inference workers; <= 0 = number of cores
        long maxImageBytes,           // 10 MB
        long maxImagePixels,          // 40 MP
        int maxImageSide,             // 8000
        boolean flipTta,
        float minInterEyeDistance,    // enrollment: 40 px
        float minInterEyeDistanceIdentify, // identification (embed): 24 px
        float maxYaw,                 // enrollment frontal check
        float maxRoll,                // degrees
        float minSharpness,           // enrollment blur check
        float minBrightness,
        float maxBrightness,
        int opencvThreads,
        float detectPad,              // black margin (fraction of the longer side) added before detection
        boolean detectAspect,         // pad to 4:3 before stretching to 320x240
        boolean landmarkPad,          // landmark crop may extend into a black border instead of being shifted inside
        int queueSize,                // requests that may wait for a free worker; more are refused (busy)
        long maxImagePixelsIdentify) { // pixel limit of images to identify (embed: gate frames, probes), 16 MP

    /** Requests that may wait for a worker beyond the ones being worked on. */
    public static final int DEFAULT_QUEUE_SIZE = 16;
    /** 16 MP: a 4K (8.3 MP) camera frame or a 12 MP phone photo; the detector sees 320x240 of it anyway. */
    public static final long DEFAULT_MAX_IMAGE_PIXELS_IDENTIFY = 16_000_000L;

    public static EngineConfig defaults() {
        return new EngineConfig(null, "faceplugin", null, 0.65f, 0.4f, 0, 10L * 1024 * 1024, 40_000_000L, 8000,
                false, 40f, 24f, 0.25f, 20f, 20f, 40f, 220f, 1,
                0.2f, true, true, DEFAULT_QUEUE_SIZE, DEFAULT_MAX_IMAGE_PIXELS_IDENTIFY);
    }

    public EngineConfig withMinInterEyeDistance(float v) {
        return new EngineConfig(modelDirectory, detector, yunetModel, detectorThreshold, nmsIou, poolSize,
                maxImageBytes, maxImagePixels, maxImageSide, flipTta, v, Math.min(v, minInterEyeDistanceIdentify), maxYaw, maxRoll, minSharpness,
                minBrightness, maxBrightness, opencvThreads, detectPad, detectAspect, landmarkPad, queueSize, maxImagePixelsIdentify);
    }

    public EngineConfig withFlipTta(boolean v) {
        return new EngineConfig(modelDirectory, detector, yunetModel, detectorThreshold, nmsIou, poolSize,
                maxImageBytes, maxImagePixels, maxImageSide, v, minInterEyeDistance, minInterEyeDistanceIdentify, maxYaw, maxRoll, minSharpness,
                minBrightness, maxBrightness, opencvThreads, detectPad, detectAspect, landmarkPad, queueSize, maxImagePixelsIdentify);
    }

    public EngineConfig withPoolSize(int v) {
        return new EngineConfig(modelDirectory, detector, yunetModel, detectorThreshold, nmsIou, v,
                maxImageBytes, maxImagePixels, maxImageSide, flipTta, minInterEyeDistance, minInterEyeDistanceIdentify, maxYaw, maxRoll,
                minSharpness, minBrightness, maxBrightness, opencvThreads, detectPad, detectAspect, landmarkPad, queueSize, maxImagePixelsIdentify);
    }

    public EngineConfig withDetector(String d, Path yunet) {
        return new EngineConfig(modelDirectory, d, yunet, detectorThreshold, nmsIou, poolSize,
                maxImageBytes, maxImagePixels, maxImageSide, flipTta, minInterEyeDistance, minInterEyeDistanceIdentify, maxYaw, maxRoll,
                minSharpness, minBrightness, maxBrightness, opencvThreads, detectPad, detectAspect, landmarkPad, queueSize, maxImagePixelsIdentify);
    }

    public EngineConfig withQueueSize(int v) {
        return new EngineConfig(modelDirectory, detector, yunetModel, detectorThreshold, nmsIou, poolSize,
                maxImageBytes, maxImagePixels, maxImageSide, flipTta, minInterEyeDistance, minInterEyeDistanceIdentify, maxYaw, maxRoll,
                minSharpness, minBrightness, maxBrightness, opencvThreads, detectPad, detectAspect, landmarkPad, v, maxImagePixelsIdentify);
    }

    public EngineConfig withMaxImagePixelsIdentify(long v) {
        return new EngineConfig(modelDirectory, detector, yunetModel, detectorThreshold, nmsIou, poolSize,
                maxImageBytes, maxImagePixels, maxImageSide, flipTta, minInterEyeDistance, minInterEyeDistanceIdentify, maxYaw, maxRoll,
                minSharpness, minBrightness, maxBrightness, opencvThreads, detectPad, detectAspect, landmarkPad, queueSize, v);
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
}
