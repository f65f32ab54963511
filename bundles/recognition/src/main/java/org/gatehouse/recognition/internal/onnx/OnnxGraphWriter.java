package org.gatehouse.recognition.internal.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an ONNX model (a {@code ModelProto}, protobuf wire format) for a graph built in code: float inputs and
 * outputs, float and int64 initializers, nodes with int, ints, float and string attributes. Enough for networks
 * whose weights come as plain arrays (the face-api.js recogniser, {@code FaceApiGraph}); no protobuf library needed —
 * the few field numbers used are those of {@code onnx.proto} (IR version 8, default domain opset 13).
 */
public final class OnnxGraphWriter {

    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_STRING = 3;
    private static final int ATTR_INTS = 7;

    private final String name;
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private int counter;

    public OnnxGraphWriter(String name) {
        this.name = name;
    }

    /** A graph input of element type float; a dimension &lt; 0 is symbolic (the batch, named N). */
    public OnnxGraphWriter input(String tensor, long... dims) {
        inputs.add(valueInfo(tensor, dims));
        return this;
    }

    public OnnxGraphWriter output(String tensor, long... dims) {
        outputs.add(valueInfo(tensor, dims));
        return this;
    }

    /** A float initializer (row-major, {@code data.length} = product of {@code dims}). */
    public String floats(String tensor, float[] data, long... dims) {
        check(data.length, dims, tensor);
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        initializers.add(tensor(tensor, FLOAT, dims, b.array()));
        return tensor;
    }

    /** An int64 initializer (shapes, pads). */
    public String longs(String tensor, long[] data, long... dims) {
        check(data.length, dims, tensor);
        ByteBuffer b = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        initializers.add(tensor(tensor, INT64, dims, b.array()));
        return tensor;
    }

    /** Adds a node; returns its (single) output's name, generated from the op type. */
    public String node(String opType, List<String> in, Attr... attrs) {
        String out = opType.toLowerCase(java.util.Locale.ROOT) + "_" + (++counter);
        node(opType, in, out, attrs);
        return out;
    }

    /** Adds a node with the given output name. */
    public void node(String opType, List<String> in, String out, Attr... attrs) {
        Proto n = new Proto();
        for (String i : in) {
            n.string(1, i);
        }
        n.string(2, out);
        n.string(3, out);
        n.string(4, opType);
        for (Attr a : attrs) {
            n.message(5, a.bytes());
        }
        nodes.add(n.bytes());
    }

    /** The serialized model. */
    public byte[] model(String producer) {
        Proto g = new Proto();
        nodes.forEach(n -> g.message(1, n));
        g.string(2, name);
        initializers.forEach(t -> g.message(5, t));
        inputs.forEach(v -> g.message(11, v));
        outputs.forEach(v -> g.message(12, v));
        Proto opset = new Proto();
        opset.string(1, "");
        opset.varint(2, 13);
        Proto m = new Proto();
        m.varint(1, 8);
        m.string(2, producer);
        m.message(7, g.bytes());
        m.message(8, opset.bytes());
        return m.bytes();
    }

    private static void check(int n, long[] dims, String tensor) {
        long p = 1;
        for (long d : dims) {
            p *= d;
        }
        if (p != n) {
            throw new IllegalArgumentException(tensor + ": " + n + " values for shape " + java.util.Arrays.toString(dims));
        }
    }

    private static byte[] tensor(String tensor, int type, long[] dims, byte[] raw) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, type);
        t.string(8, tensor);
        t.message(9, raw);
        return t.bytes();
    }

    private static byte[] valueInfo(String tensor, long[] dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            Proto dim = new Proto();
            if (d < 0) {
                dim.string(2, "N");
            } else {
                dim.varint(1, d);
            }
            shape.message(1, dim.bytes());
        }
        Proto tt = new Proto();
        tt.varint(1, FLOAT);
        tt.message(2, shape.bytes());
        Proto type = new Proto();
        type.message(1, tt.bytes());
        Proto v = new Proto();
        v.string(1, tensor);
        v.message(2, type.bytes());
        return v.bytes();
    }

    /** A node attribute. */
    public record Attr(byte[] bytes) {

        public static Attr ints(String name, long... values) {
            Proto a = new Proto();
            a.string(1, name);
            for (long v : values) {
                a.varint(8, v);
            }
            a.varint(20, ATTR_INTS);
            return new Attr(a.bytes());
        }

        public static Attr integer(String name, long value) {
            Proto a = new Proto();
            a.string(1, name);
            a.varint(3, value);
            a.varint(20, ATTR_INT);
            return new Attr(a.bytes());
        }

        public static Attr real(String name, float value) {
            Proto a = new Proto();
            a.string(1, name);
            a.fixed32(2, Float.floatToIntBits(value));
            a.varint(20, ATTR_FLOAT);
            return new Attr(a.bytes());
        }

        public static Attr text(String name, String value) {
            Proto a = new Proto();
            a.string(1, name);
            a.message(4, value.getBytes(StandardCharsets.UTF_8));
            a.varint(20, ATTR_STRING);
            return new Attr(a.bytes());
        }
    }

    /** Protobuf wire format: varint (type 0), fixed32 (type 5), length-delimited (type 2). */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long v) {
            raw((long) field << 3);
            raw(v);
        }

        void fixed32(int field, int v) {
            raw(((long) field << 3) | 5);
            for (int i = 0; i < 4; i++) {
                out.write((v >>> (8 * i)) & 0xFF);
            }
        }

        void string(int field, String s) {
            message(field, s.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, byte[] b) {
            raw(((long) field << 3) | 2);
            raw(b.length);
            out.write(b, 0, b.length);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
