package org.gatehouse.gate.simulator.internal;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * A camera frame: a 640×480 JPEG of a plain scene (grey wall, a darker door frame, a floor) with the face photo
 * pasted near the middle at the size a person at a terminal half a metre to a metre away takes up — the photo
 * 200–280 px high, so a passport-style or LFW photo's face is about 90–130 px wide — shifted a little at random.
 * Java2D and ImageIO only; about a few milliseconds a frame.
 */
public final class FrameBuilder {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 480;
    private static final float QUALITY = 0.85f;

    private final BufferedImage background;

    public FrameBuilder() {
        background = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = background.createGraphics();
        try {
            g.setPaint(new GradientPaint(0, 0, new Color(150, 150, 148), 0, HEIGHT * 0.75f, new Color(120, 120, 118)));
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(new Color(90, 88, 85));
            g.fillRect(150, 20, 340, 16);
            g.fillRect(150, 20, 16, 400);
            g.fillRect(474, 20, 16, 400);
            g.setColor(new Color(100, 100, 100));
            g.fillRect(0, 420, WIDTH, HEIGHT - 420);
        } finally {
            g.dispose();
        }
    }

    /** The frame with {@code face} pasted in; {@code random} sets its size and place. */
    public byte[] frame(BufferedImage face, Random random) {
        BufferedImage frame = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame.createGraphics();
        try {
            g.drawImage(background, 0, 0, null);
            int h = 200 + random.nextInt(81);
            int w = (int) Math.round(h * (double) face.getWidth() / face.getHeight());
            if (w > WIDTH - 40) {
                w = WIDTH - 40;
                h = (int) Math.round(w * (double) face.getHeight() / face.getWidth());
            }
            int x = (WIDTH - w) / 2 + random.nextInt(81) - 40;
            int y = (HEIGHT - h) / 2 - 20 + random.nextInt(41) - 20;
            x = Math.max(0, Math.min(WIDTH - w, x));
            y = Math.max(0, Math.min(HEIGHT - h, y));
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(face, x, y, w, h, null);
        } finally {
            g.dispose();
        }
        return jpeg(frame);
    }

    static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(48 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
