package org.gatehouse.recognition;

import jdk.incubator.vector.IntVector;
import org.gatehouse.recognition.internal.gallery.Int8Dot;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gallery's int8 dot-product kernels: the Vector API one is chosen here and equals the scalar one bit for bit. */
class Int8DotTest {

    @Test
    void vectorKernelIsChosenWhereTheCpuHasWideVectors() {
        // surefire runs with --add-modules jdk.incubator.vector (pom test.jvm.args)
        boolean wide = IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
        assertEquals(wide, Int8Dot.INSTANCE.name().startsWith("SIMD"), Int8Dot.INSTANCE.name());
    }

    @Test
    void kernelsAgreeOnRandomAndExtremeRows() {
        Int8Dot v = Int8Dot.INSTANCE;
        Int8Dot s = Int8Dot.scalar();
        Random r = new Random(11);
        for (int dim : new int[] {1, 3, 8, 15, 16, 17, 63, 64, 65, 128, 500, 512, 513, 1024}) {
            for (int trial = 0; trial < 20; trial++) {
                int off = r.nextInt(5);
                int rows = 8 + trial % 5; // the scalar kernel does 8 rows per pass, then the rest one by one
                byte[] a = new byte[off + rows * dim];
                int[] p = new int[dim];
                for (int i = 0; i < a.length; i++) {
                    // trial 0: every product at its extreme (-127 * 127) to catch overflow or lost lanes
                    a[i] = trial == 0 ? (byte) -127 : (byte) (r.nextInt(255) - 127);
                }
                for (int i = 0; i < dim; i++) {
                    p[i] = trial == 0 ? 127 : r.nextInt(255) - 127;
                }
                int[] o1 = new int[rows];
                int[] o2 = new int[rows];
                v.dots(a, off, rows, p, dim, o1);
                s.dots(a, off, rows, p, dim, o2);
                for (int row = 0; row < rows; row++) {
                    int expected = 0;
                    for (int j = 0; j < dim; j++) {
                        expected += a[off + row * dim + j] * p[j];
                    }
                    assertEquals(expected, o2[row], "scalar dots, dim " + dim);
                    assertEquals(expected, o1[row], "dots of " + v.name() + ", dim " + dim);
                    assertEquals(expected, v.dot(a, off + row * dim, p, dim), v.name() + ", dim " + dim);
                    assertEquals(expected, s.dot(a, off + row * dim, p, dim), "scalar, dim " + dim);
                }
                if (trial == 0) {
                    assertTrue(o1[0] == -127 * 127 * dim);
                }
            }
        }
    }
}
