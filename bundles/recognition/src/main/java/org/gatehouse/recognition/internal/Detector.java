package org.gatehouse.recognition.internal;

import org.bytedeco.opencv.opencv_core.Mat;
import org.gatehouse.recognition.internal.onnx.OnnxNets;

import java.util.List;

/**
 * Face detector of one inference worker (used by that worker's thread only): the bundled fr_detect
 * ({@link FacepluginDetector}) or OpenCV's YuNet ({@link YunetDetector}, whose five points replace
 * fr_landmark).
 */
interface Detector extends AutoCloseable {

    /** Faces of a BGR image: square box, score, clipped box; {@link Face#five} when the detector gives them. */
    List<Face> detect(Mat img);

    @Override
    void close();

    /** The detector the configuration names ({@code yunet}, case-insensitive; anything else: fr_detect). */
    static Detector of(EngineConfig cfg, OnnxNets.Session session) {
        return "yunet".equalsIgnoreCase(cfg.detector()) ? new YunetDetector(cfg) : new FacepluginDetector(cfg, session);
    }
}
