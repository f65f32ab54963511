package org.gatehouse.recognition.internal.image;

import org.bytedeco.opencv.opencv_core.Mat;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/** Validates untrusted image bytes (size, magic, header dimensions, completeness) then decodes to BGR. */
public final class ImageDecoder {

    private final long maxBytes;
    private final long maxPixels;
    private final int maxSide;

    public ImageDecoder(long maxBytes, long maxPixels, int maxSide) {
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
        this.maxSide = maxSide;
    }

    /** Checks everything that can be checked without decoding. */
    public ImageHeader.Info check(byte[] data) {
        if (data == null || data.length == 0) {
            throw new FaceException(Code.EMPTY_IMAGE);
        }
        if (data.length > maxBytes) {
            throw new FaceException(Code.IMAGE_TOO_LARGE, (long) data.length, maxBytes);
        }
        ImageHeader.Info info = ImageHeader.read(data);
        if (info.width() <= 0 || info.height() <= 0) {
            throw new FaceException(Code.DECODE_FAILED);
        }
        if (info.width() > maxSide || info.height() > maxSide
                || (long) info.width() * info.height() > maxPixels) {
            throw new FaceException(Code.IMAGE_DIMENSIONS_TOO_LARGE, info.width(), info.height(), maxSide, maxPixels);
        }
        if (!info.complete()) {
            throw new FaceException(Code.TRUNCATED_IMAGE);
        }
        return info;
    }

    /** Returns an 8-bit 3-channel BGR image (grey, CMYK and alpha inputs are converted). Caller closes it. */
    public Mat decode(byte[] data) {
        check(data);
        Mat buf = new Mat(1, data.length, CV_8UC1);
        Mat img;
        try {
            buf.data().put(data, 0, data.length);
            img = imdecode(buf, IMREAD_COLOR);
        } catch (RuntimeException e) {
            throw new FaceException(Code.DECODE_FAILED, e);
        } finally {
            buf.close();
        }
        if (img == null || img.isNull() || img.empty() || img.type() != CV_8UC3) {
            if (img != null) {
                img.close();
            }
            throw new FaceException(Code.DECODE_FAILED);
        }
        if (img.cols() > maxSide || img.rows() > maxSide || (long) img.cols() * img.rows() > maxPixels) {
            int w = img.cols(), h = img.rows();
            img.close();
            throw new FaceException(Code.IMAGE_DIMENSIONS_TOO_LARGE, w, h, maxSide, maxPixels);
        }
        return img;
    }
}
