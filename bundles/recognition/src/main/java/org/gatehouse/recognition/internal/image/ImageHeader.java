package org.gatehouse.recognition.internal.image;

import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;

/**
 * Identifies the image format from its magic bytes and reads width/height from the header
 * without decoding pixels (protection against decompression bombs).
 */
public final class ImageHeader {

    public enum Format { JPEG, PNG, BMP, WEBP }

    /** Parsed header: format, dimensions, and whether the stream end marker is present. */
    public record Info(Format format, int width, int height, boolean complete) {
    }

    private ImageHeader() {
    }

    public static Format sniff(byte[] d) {
        if (d.length >= 3 && (d[0] & 0xFF) == 0xFF && (d[1] & 0xFF) == 0xD8 && (d[2] & 0xFF) == 0xFF) {
            return Format.JPEG;
        }
        if (d.length >= 8 && (d[0] & 0xFF) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G'
                && d[4] == 0x0D && d[5] == 0x0A && d[6] == 0x1A && d[7] == 0x0A) {
            return Format.PNG;
        }
        if (d.length >= 2 && d[0] == 'B' && d[1] == 'M') {
            return Format.BMP;
        }
        if (d.length >= 12 && d[0] == 'R' && d[1] == 'I' && d[2] == 'F' && d[3] == 'F'
                && d[8] == 'W' && d[9] == 'E' && d[10] == 'B' && d[11] == 'P') {
            return Format.WEBP;
        }
        return null;
    }

    /** Reads format and dimensions; throws NOT_AN_IMAGE / TRUNCATED_IMAGE / DECODE_FAILED. */
    public static Info read(byte[] d) {
        if (d == null || d.length == 0) {
            throw new FaceException(Code.EMPTY_IMAGE);
        }
        Format f = sniff(d);
        if (f == null) {
            throw new FaceException(Code.NOT_AN_IMAGE);
        }
        return switch (f) {
            case JPEG -> jpeg(d);
            case PNG -> png(d);
            case BMP -> bmp(d);
            case WEBP -> webp(d);
        };
    }

    private static int u8(byte[] d, int i) {
        return d[i] & 0xFF;
    }

    private static int be16(byte[] d, int i) {
        return (u8(d, i) << 8) | u8(d, i + 1);
    }

    private static long be32(byte[] d, int i) {
        return ((long) u8(d, i) << 24) | (u8(d, i + 1) << 16) | (u8(d, i + 2) << 8) | u8(d, i + 3);
    }

    private static int le16(byte[] d, int i) {
        return u8(d, i) | (u8(d, i + 1) << 8);
    }

    private static long le32(byte[] d, int i) {
        return u8(d, i) | (u8(d, i + 1) << 8) | (u8(d, i + 2) << 16) | ((long) u8(d, i + 3) << 24);
    }

    private static Info jpeg(byte[] d) {
        int i = 2;
        while (true) {
            // find the next marker (skip fill bytes 0xFF)
            if (i >= d.length) {
                throw new FaceException(Code.TRUNCATED_IMAGE);
            }
            if (u8(d, i) != 0xFF) {
                throw new FaceException(Code.DECODE_FAILED);
            }
            while (i < d.length && u8(d, i) == 0xFF) {
                i++;
            }
            if (i >= d.length) {
                throw new FaceException(Code.TRUNCATED_IMAGE);
            }
            int marker = u8(d, i++);
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // stand-alone markers
            }
            if (marker == 0xD9 || marker == 0xDA) {
                // EOI or start of scan before any frame header
                throw new FaceException(Code.DECODE_FAILED);
            }
            if (i + 2 > d.length) {
                throw new FaceException(Code.TRUNCATED_IMAGE);
            }
            int len = be16(d, i);
            if (len < 2) {
                throw new FaceException(Code.DECODE_FAILED);
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (i + 7 > d.length) {
                    throw new FaceException(Code.TRUNCATED_IMAGE);
                }
                int h = be16(d, i + 3);
                int w = be16(d, i + 5);
                return new Info(Format.JPEG, w, h, jpegHasEoi(d));
            }
            i += len;
        }
    }

    /**
     * Entropy-coded JPEG data never contains FF D9 (0xFF is stuffed with 0x00), so an EOI marker
     * within the last 4 KB (tolerating trailing bytes some cameras append) means the file is whole.
     */
    private static boolean jpegHasEoi(byte[] d) {
        int from = Math.max(2, d.length - 4096);
        for (int i = d.length - 2; i >= from; i--) {
            if (u8(d, i) == 0xFF && u8(d, i + 1) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    private static Info png(byte[] d) {
        if (d.length < 33) {
            throw new FaceException(Code.TRUNCATED_IMAGE);
        }
        if (!(d[12] == 'I' && d[13] == 'H' && d[14] == 'D' && d[15] == 'R')) {
            throw new FaceException(Code.DECODE_FAILED);
        }
        long w = be32(d, 16);
        long h = be32(d, 20);
        boolean complete = false;
        int from = Math.max(8, d.length - 64);
        for (int i = d.length - 4; i >= from; i--) {
            if (d[i] == 'I' && d[i + 1] == 'E' && d[i + 2] == 'N' && d[i + 3] == 'D') {
                complete = true;
                break;
            }
        }
        return new Info(Format.PNG, clampInt(w), clampInt(h), complete);
    }

    private static Info bmp(byte[] d) {
        if (d.length < 26) {
            throw new FaceException(Code.TRUNCATED_IMAGE);
        }
        long fileSize = le32(d, 2);
        long hdr = le32(d, 14);
        long w;
        long h;
        if (hdr == 12) {
            w = le16(d, 18);
            h = le16(d, 20);
        } else {
            w = (int) le32(d, 18);
            h = Math.abs((int) le32(d, 22));
        }
        if (w <= 0 || h <= 0) {
            throw new FaceException(Code.DECODE_FAILED);
        }
        return new Info(Format.BMP, clampInt(w), clampInt(h), fileSize == 0 || d.length >= fileSize);
    }

    private static Info webp(byte[] d) {
        if (d.length < 30) {
            throw new FaceException(Code.TRUNCATED_IMAGE);
        }
        long riffSize = le32(d, 4);
        boolean complete = d.length >= riffSize + 8;
        String chunk = new String(d, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        int w;
        int h;
        switch (chunk) {
            case "VP8 " -> {
                // frame tag 3 bytes, start code 9D 01 2A, then 14-bit width/height
                if (u8(d, 23) != 0x9D || u8(d, 24) != 0x01 || u8(d, 25) != 0x2A) {
                    throw new FaceException(Code.DECODE_FAILED);
                }
                w = le16(d, 26) & 0x3FFF;
                h = le16(d, 28) & 0x3FFF;
            }
            case "VP8L" -> {
                if (u8(d, 20) != 0x2F) {
                    throw new FaceException(Code.DECODE_FAILED);
                }
                long bits = le32(d, 21);
                w = (int) (bits & 0x3FFF) + 1;
                h = (int) ((bits >> 14) & 0x3FFF) + 1;
            }
            case "VP8X" -> {
                w = (u8(d, 24) | (u8(d, 25) << 8) | (u8(d, 26) << 16)) + 1;
                h = (u8(d, 27) | (u8(d, 28) << 8) | (u8(d, 29) << 16)) + 1;
            }
            default -> throw new FaceException(Code.DECODE_FAILED);
        }
        return new Info(Format.WEBP, w, h, complete);
    }

    private static int clampInt(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }
}
