package org.gatehouse.recognition.internal;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.gatehouse.recognition.api.FaceBox;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.internal.image.ImageDecoder;

/**
 * The face photo a terminal that matches faces itself is given: the face box grown to a head-and-shoulders square
 * ({@link #GROW} times its longer side, black beyond the image's edge), scaled down to at most {@link #MAX_SIDE}
 * px and encoded as JPEG at quality {@link #QUALITY}. Access terminals of the Hikvision kind want a face of at least
 * 80 px and a file under 200 KB; this gives a face of about 170 px in 15–40 KB. Nothing else of the frame is kept.
 */
public final class FacePhotos {
    static final float GROW = 1.9f;
    static final int MAX_SIDE = 320;
    static final int QUALITY = 90;

    private final ImageDecoder decoder;

    public FacePhotos(ImageDecoder decoder) {
        this.decoder = decoder;
    }

    /** The JPEG of the face at {@code box} in {@code image}; the same checks on the image as enrolment. */
    public byte[] photo(byte[] image, FaceBox box) {
        if (box == null || !(box.width() > 0) || !(box.height() > 0)) {
            throw new FaceException(FaceException.Code.NO_FACE);
        }
        decoder.check(image);
        try (Mat img = decoder.decode(image)) {
            int side = Math.max(1, Math.round(Math.max(box.width(), box.height()) * GROW));
            int x = Math.round(box.centerX() - side / 2f);
            int y = Math.round(box.centerY() - side / 2f);
            try (Mat square = Mats.paddedCrop(img, x, y, side); Mat out = scaled(square);
                 BytePointer jpeg = new BytePointer(); IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, QUALITY)) {
                if (!imencode(".jpg", out, jpeg, params)) {
                    throw new IllegalStateException("the face photo could not be encoded as JPEG");
                }
                byte[] bytes = new byte[(int) jpeg.limit()];
                jpeg.get(bytes);
                return bytes;
            }
        }
    }

    private static Mat scaled(Mat square) {
        if (square.cols() <= MAX_SIDE) {
            return square.clone();
        }
        Mat small = new Mat();
        try (Size size = new Size(MAX_SIDE, MAX_SIDE)) {
            resize(square, small, size, 0, 0, INTER_AREA);
        }
        return small;
    }
}
