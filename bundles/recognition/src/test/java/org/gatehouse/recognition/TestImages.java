package org.gatehouse.recognition;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.CRC32;

/** Fixture access and synthesised bad inputs. */
final class TestImages {

    private TestImages() {
    }

    static byte[] fixture(String name) {
        try (InputStream in = TestImages.class.getResourceAsStream("/faces/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage read(byte[] b) {
        try {
            return ImageIO.read(new java.io.ByteArrayInputStream(b));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] write(BufferedImage img, String fmt) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, fmt, out)) {
                throw new IllegalStateException("no writer for " + fmt);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage scaled(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** Faces pasted on a grey canvas at the given boxes {x, y, size}. */
    static byte[] canvas(int w, int h, BufferedImage[] faces, int[][] boxes) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(120, 120, 120));
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        for (int i = 0; i < faces.length; i++) {
            g.drawImage(faces[i], boxes[i][0], boxes[i][1], boxes[i][2], boxes[i][2], null);
        }
        g.dispose();
        return write(out, "png");
    }

    static byte[] grey(byte[] jpeg) {
        BufferedImage src = read(jpeg);
        BufferedImage g = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        g.getGraphics().drawImage(src, 0, 0, null);
        return write(g, "jpg");
    }

    static byte[] pngWithAlpha(byte[] jpeg) {
        BufferedImage src = read(jpeg);
        BufferedImage a = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int alpha = x < 10 ? 0 : 255; // a transparent stripe
                a.setRGB(x, y, (alpha << 24) | (src.getRGB(x, y) & 0xFFFFFF));
            }
        }
        return write(a, "png");
    }

    /** 4-component (CMYK, no Adobe marker) JPEG written from a raw raster with ImageIO. */
    static byte[] cmykJpeg(byte[] jpeg) {
        BufferedImage src = read(jpeg);
        int w = src.getWidth(), h = src.getHeight();
        WritableRaster r = WritableRaster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = src.getRGB(x, y);
                int R = (rgb >> 16) & 0xFF, G = (rgb >> 8) & 0xFF, B = rgb & 0xFF;
                int k = 255 - Math.max(R, Math.max(G, B));
                int c = k == 255 ? 0 : (255 - R - k) * 255 / (255 - k);
                int m = k == 255 ? 0 : (255 - G - k) * 255 / (255 - k);
                int yy = k == 255 ? 0 : (255 - B - k) * 255 / (255 - k);
                r.setPixel(x, y, new int[] {c, m, yy, k});
            }
        }
        try {
            ImageWriter wr = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                wr.setOutput(ios);
                wr.write(null, new IIOImage(r, null, null), null);
            }
            wr.dispose();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] truncated(byte[] jpeg, double fraction) {
        return Arrays.copyOf(jpeg, (int) (jpeg.length * fraction));
    }

    /** A valid PNG signature + IHDR claiming width x height, followed by a tiny IDAT and IEND. */
    static byte[] pngHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        byte[] ihdr = new byte[13];
        be32(ihdr, 0, width);
        be32(ihdr, 4, height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // RGB
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] len = new byte[4];
        be32(len, 0, data.length);
        out.writeBytes(len);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        byte[] c = new byte[4];
        be32(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void be32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
