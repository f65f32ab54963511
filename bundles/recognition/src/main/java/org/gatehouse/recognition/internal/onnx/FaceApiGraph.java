package org.gatehouse.recognition.internal.onnx;

import org.gatehouse.recognition.internal.onnx.OnnxGraphWriter.Attr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The face-api.js face recogniser (a ResNet-34-like network, dlib's {@code dlib_face_recognition_resnet_model_v1}
 * ported to TensorFlow.js; 150x150 RGB in, 128-d out) rebuilt as an ONNX graph from its published weights: the
 * {@code face_recognition_model-weights_manifest.json} + {@code face_recognition_model.bin} pair of the npm package
 * {@code @vladmandic/face-api} (MIT; the weights are face-api.js's, which its own npm package no longer ships).
 *
 * <p>The graph is that of face-api.js's {@code FaceRecognitionNet.forwardInput}: a 7x7/2 valid convolution, 3x3/2
 * max-pool, residual blocks (3x3 "same" convolutions), down-sampling blocks (3x3/2 valid convolution; the shortcut
 * a 2x2/2 average pool, zero-padded in channels and, when the sizes differ, the residual branch zero-padded by one
 * row and column at the end), a global mean and a 256x128 matrix. Each convolution's bias and the "scale layer"
 * after it (x * w + b per channel) are folded into the convolution. TensorFlow's HWIO filters become ONNX's OIHW.
 * Weights stored as uint8 are dequantised ({@code q * scale + min}).
 *
 * <p>Input {@code input} [N,3,150,150]: RGB planes, {@code (pixel - mean) / 255} with mean
 * (122.782, 117.001, 104.298); output {@code embedding} [N,128] (not normalised).
 */
public final class FaceApiGraph {

    public static final int SIZE = 150;
    public static final int DIM = 128;
    public static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};

    private static final Pattern ENTRY = Pattern.compile("\\{\\s*\"name\"\\s*:\\s*\"([^\"]+)\"(.*?)\\}\\s*(?=,\\s*\\{\\s*\"name\"|\\])",
            Pattern.DOTALL);
    private static final Pattern SHAPE = Pattern.compile("\"shape\"\\s*:\\s*\\[([0-9,\\s]*)\\]");
    private static final Pattern SCALE = Pattern.compile("\"scale\"\\s*:\\s*([-+0-9.eE]+)");
    private static final Pattern MIN = Pattern.compile("\"min\"\\s*:\\s*([-+0-9.eE]+)");
    private static final Pattern QUANT = Pattern.compile("\"quantization\"\\s*:\\s*\\{[^}]*\"dtype\"\\s*:\\s*\"uint8\"");

    private final Map<String, float[]> weights;
    private final Map<String, int[]> shapes;
    private final OnnxGraphWriter g = new OnnxGraphWriter("face_api_recognition");
    private int size;
    private int channels;

    private FaceApiGraph(Map<String, float[]> weights, Map<String, int[]> shapes) {
        this.weights = weights;
        this.shapes = shapes;
    }

    /**
     * The ONNX model of the weights manifest (JSON, tfjs format) and the weights file it describes.
     *
     * @throws IOException when the manifest does not describe the file (sizes), or a weight is missing or has
     *                     another shape than this network's
     */
    public static byte[] onnx(byte[] manifest, byte[] bin) throws IOException {
        Map<String, float[]> w = new HashMap<>();
        Map<String, int[]> s = new HashMap<>();
        read(new String(manifest, StandardCharsets.UTF_8), bin, w, s);
        try {
            return new FaceApiGraph(w, s).build();
        } catch (IllegalArgumentException e) {
            throw new IOException("face-api.js weights do not fit the recognition network: " + e.getMessage(), e);
        }
    }

    static void read(String json, byte[] bin, Map<String, float[]> w, Map<String, int[]> s) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
        Matcher m = ENTRY.matcher(json);
        while (m.find()) {
            String name = m.group(1);
            String rest = m.group(2);
            Matcher sh = SHAPE.matcher(rest);
            if (!sh.find()) {
                throw new IOException("weights manifest: no shape for " + name);
            }
            int[] shape = sh.group(1).isBlank() ? new int[0]
                    : java.util.Arrays.stream(sh.group(1).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            boolean quantized = QUANT.matcher(rest).find();
            int bytes = quantized ? n : 4 * n;
            if (in.remaining() < bytes) {
                throw new IOException("weights file too short at " + name + ": " + bin.length + " bytes");
            }
            float[] v = new float[n];
            if (quantized) {
                Matcher sc = SCALE.matcher(rest);
                Matcher mn = MIN.matcher(rest);
                if (!sc.find() || !mn.find()) {
                    throw new IOException("weights manifest: quantization of " + name + " without scale/min");
                }
                double scale = Double.parseDouble(sc.group(1));
                double min = Double.parseDouble(mn.group(1));
                for (int i = 0; i < n; i++) {
                    v[i] = (float) ((in.get() & 0xFF) * scale + min);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    v[i] = in.getFloat();
                }
            }
            w.put(name, v);
            s.put(name, shape);
        }
        if (w.isEmpty()) {
            throw new IOException("weights manifest lists no weights");
        }
        if (in.hasRemaining()) {
            throw new IOException("weights file longer than its manifest: " + in.remaining() + " bytes left over");
        }
    }

    private byte[] build() {
        g.input("input", -1, 3, SIZE, SIZE);
        size = SIZE;
        channels = 3;
        String x = conv("input", "conv32_down", 7, 2, 0, true);
        x = g.node("MaxPool", List.of(x), Attr.ints("kernel_shape", 3, 3), Attr.ints("strides", 2, 2));
        size = (size - 3) / 2 + 1;
        x = residual(x, "conv32_1");
        x = residual(x, "conv32_2");
        x = residual(x, "conv32_3");
        x = residualDown(x, "conv64_down");
        x = residual(x, "conv64_1");
        x = residual(x, "conv64_2");
        x = residual(x, "conv64_3");
        x = residualDown(x, "conv128_down");
        x = residual(x, "conv128_1");
        x = residual(x, "conv128_2");
        x = residualDown(x, "conv256_down");
        x = residual(x, "conv256_1");
        x = residual(x, "conv256_2");
        x = residualDown(x, "conv256_down_out");
        x = g.node("GlobalAveragePool", List.of(x));
        x = g.node("Flatten", List.of(x), Attr.integer("axis", 1));
        float[] fc = weight("fc", channels, DIM);
        g.node("MatMul", List.of(x, g.floats("fc", fc, channels, DIM)), "embedding");
        g.output("embedding", -1, DIM);
        return g.model("gatehouse FaceApiGraph");
    }

    private String residual(String x, String block) {
        String out = conv(x, block + "/conv1", 3, 1, 1, true);
        out = conv(out, block + "/conv2", 3, 1, 1, false);
        out = g.node("Add", List.of(out, x));
        return g.node("Relu", List.of(out));
    }

    private String residualDown(String x, String block) {
        int inSize = size;
        int inChannels = channels;
        String out = conv(x, block + "/conv1", 3, 2, 0, true);
        out = conv(out, block + "/conv2", 3, 1, 1, false);
        String pooled = g.node("AveragePool", List.of(x), Attr.ints("kernel_shape", 2, 2), Attr.ints("strides", 2, 2));
        int pooledSize = inSize / 2;
        if (pooledSize != size) {
            if (pooledSize != size + 1) {
                throw new IllegalArgumentException(block + ": shortcut " + pooledSize + " vs branch " + size);
            }
            out = g.node("Pad", List.of(out, g.longs(block + "/pad_hw", new long[] {0, 0, 0, 0, 0, 0, 1, 1}, 8)));
            size = pooledSize;
        }
        if (inChannels != channels) {
            pooled = g.node("Pad", List.of(pooled,
                    g.longs(block + "/pad_c", new long[] {0, 0, 0, 0, 0, channels - inChannels, 0, 0}, 8)));
        }
        out = g.node("Add", List.of(pooled, out));
        return g.node("Relu", List.of(out));
    }

    /** Convolution + bias + scale layer folded into one Conv; TF "valid" = pad 0, "same" (3x3, stride 1) = pad 1. */
    private String conv(String x, String layer, int k, int stride, int pad, boolean relu) {
        int[] fs = shapes.get(layer + "/conv/filters");
        if (fs == null || fs.length != 4 || fs[0] != k || fs[1] != k || fs[2] != channels) {
            throw new IllegalArgumentException(layer + "/conv/filters: expected [" + k + "," + k + "," + channels
                    + ",O], found " + (fs == null ? "none" : java.util.Arrays.toString(fs)));
        }
        int outC = fs[3];
        float[] f = weights.get(layer + "/conv/filters");
        float[] bias = weight(layer + "/conv/bias", outC);
        float[] sw = weight(layer + "/scale/weights", outC);
        float[] sb = weight(layer + "/scale/biases", outC);
        float[] oihw = new float[f.length];
        for (int kh = 0; kh < k; kh++) {
            for (int kw = 0; kw < k; kw++) {
                for (int i = 0; i < channels; i++) {
                    for (int o = 0; o < outC; o++) {
                        float v = f[((kh * k + kw) * channels + i) * outC + o];
                        oihw[((o * channels + i) * k + kh) * k + kw] = v * sw[o];
                    }
                }
            }
        }
        float[] b = new float[outC];
        for (int o = 0; o < outC; o++) {
            b[o] = bias[o] * sw[o] + sb[o];
        }
        String name = g.node("Conv", List.of(x, g.floats(layer + "/W", oihw, outC, channels, k, k),
                        g.floats(layer + "/B", b, outC)),
                Attr.ints("kernel_shape", k, k), Attr.ints("strides", stride, stride),
                Attr.ints("pads", pad, pad, pad, pad));
        channels = outC;
        size = (size + 2 * pad - k) / stride + 1;
        return relu ? g.node("Relu", List.of(name)) : name;
    }

    private float[] weight(String name, int... shape) {
        float[] v = weights.get(name);
        int[] s = shapes.get(name);
        if (v == null || !java.util.Arrays.equals(s, shape)) {
            throw new IllegalArgumentException(name + ": expected " + java.util.Arrays.toString(shape) + ", found "
                    + (s == null ? "none" : java.util.Arrays.toString(s)));
        }
        return v;
    }
}
