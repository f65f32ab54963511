package org.gatehouse.recognition.internal;

import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.FaceDetectorYN;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;

import java.util.ArrayList;
import java.util.List;

/** OpenCV {@code FaceDetectorYN} on the image itself (model file {@code yunetModel}); gives five points. */
final class YunetDetector implements Detector {

    private final EngineConfig cfg;
    private FaceDetectorYN yunet;
    private int yunetW = -1, yunetH = -1;

    YunetDetector(EngineConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public List<Face> detect(Mat img) {
        int cols = img.cols(), rows = img.rows();
        if (yunet == null) {
            if (cfg.yunetModel() == null) {
                throw new FaceException(Code.ENGINE_UNAVAILABLE, "yunet model path not configured");
            }
            yunet = FaceDetectorYN.create(cfg.yunetModel().toString(), "", new Size(cols, rows),
                    cfg.detectorThreshold(), cfg.nmsIou(), 5000, 0, 0);
        }
        if (cols != yunetW || rows != yunetH) {
            yunet.setInputSize(new Size(cols, rows));
            yunetW = cols;
            yunetH = rows;
        }
        List<Face> faces = new ArrayList<>();
        try (Mat out = new Mat()) {
            yunet.detect(img, out);
            if (out.empty()) {
                return faces;
            }
            FloatIndexer ix = out.createIndexer();
            for (int r = 0; r < out.rows(); r++) {
                float x = ix.get(r, 0), y = ix.get(r, 1), w = ix.get(r, 2), h = ix.get(r, 3);
                Face f = Face.detected(x + w / 2f, y + h / 2f, h, ix.get(r, 14), cols, rows);
                f.five = new float[5][];
                for (int k = 0; k < 5; k++) {
                    f.five[k] = new float[] {ix.get(r, 4 + 2 * k), ix.get(r, 5 + 2 * k)};
                }
                faces.add(f);
            }
            ix.release();
        }
        return faces;
    }

    @Override
    public void close() {
        if (yunet != null) {
            yunet.close();
        }
    }
}
