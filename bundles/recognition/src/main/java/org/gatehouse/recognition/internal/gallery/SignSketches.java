package org.gatehouse.recognition.internal.gallery;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Sign-random-projection sketches (SimHash, Charikar 2002) of a community's int8 rows, for the
 * approximate 1:N search of very large galleries: bit b of a row is the sign of its dot product
 * with a fixed random ±1 hyperplane; the Hamming distance between two sketches estimates the angle
 * between the vectors (P[bit differs] = angle / π) whatever the data looks like, so recall does not
 * depend on the gallery having cluster structure (unlike a graph index: on uniformly random
 * vectors Lucene's HNSW reached only 24–90 % recall@1 at 1M, see the README).
 * <p>
 * Search = a scan of {@value #BITS}-bit sketches (32 bytes a row instead of 512) with
 * {@code Long.bitCount}, then the {@code candidates} rows nearest in Hamming distance are scored
 * exactly by the caller. Rows are kept parallel to the gallery's rows (same index, same
 * move-last-into-the-hole removal). The hyperplanes are a pure function of the dimension, so
 * sketches are never persisted. Not thread-safe: the community lock guards it.
 */
final class SignSketches {

    static final int BITS = 256;
    static final int WORDS = BITS / 64;
    private static final int MAX_DIST = 255;
    private static final long SEED = 0x5eed_f00dL;

    /** Hyperplanes per dimension, shared by every community (128 KB at 512-d). */
    private static final java.util.Map<Integer, byte[]> PLANES = new java.util.concurrent.ConcurrentHashMap<>();

    private final int dim;
    /** BITS hyperplanes of ±1, row-major (BITS x dim): scored with the int8 kernel. */
    private final byte[] planes;
    private long[] sk;

    SignSketches(int dim, int capacity) {
        this.dim = dim;
        this.planes = PLANES.computeIfAbsent(dim, d -> {
            byte[] p = new byte[BITS * d];
            Random r = new Random(SEED);
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextBoolean() ? (byte) 1 : (byte) -1;
            }
            return p;
        });
        this.sk = new long[Math.max(1, capacity) * WORDS];
    }

    void ensureCapacity(int rows) {
        if (sk.length < rows * WORDS) {
            sk = Arrays.copyOf(sk, rows * WORDS);
        }
    }

    /** Sketch of gallery row {@code row}, whose int8 values are {@code qv[off .. off+dim)}. */
    void set(int row, byte[] qv, int off) {
        int[] w = new int[dim];
        for (int i = 0; i < dim; i++) {
            w[i] = qv[off + i];
        }
        sketch(w, sk, row * WORDS);
    }

    void move(int from, int to) {
        System.arraycopy(sk, from * WORDS, sk, to * WORDS, WORDS);
    }

    /** Sketch of a probe already quantised like the rows. */
    long[] sketch(int[] pq) {
        long[] out = new long[WORDS];
        sketch(pq, out, 0);
        return out;
    }

    private void sketch(int[] v, long[] out, int o) {
        int[] dots = new int[BITS];
        Int8Dot.INSTANCE.dots(planes, 0, BITS, v, dim, dots);
        Arrays.fill(out, o, o + WORDS, 0L);
        for (int b = 0; b < BITS; b++) {
            if (dots[b] > 0) {
                out[o + (b >>> 6)] |= 1L << (b & 63);
            }
        }
    }

    /**
     * The (up to) {@code want} rows of {@code [0, n)} nearest to the probe in Hamming distance (ties at
     * the cut taken in row order). The scan is split over {@code fj} when given (null = this thread).
     */
    int[] nearest(long[] probe, int n, int want, ForkJoinPool fj) {
        byte[] dist = new byte[n];
        int[] hist;
        if (fj != null) {
            int parts = fj.getParallelism();
            int chunk = (n + parts - 1) / parts;
            int[][] hs = new int[parts][];
            RecursiveAction[] tasks = new RecursiveAction[parts];
            for (int t = 0; t < parts; t++) {
                int from = Math.min(n, t * chunk), to = Math.min(n, from + chunk), slot = t;
                tasks[t] = new RecursiveAction() {
                    @Override
                    protected void compute() {
                        hs[slot] = hamming(probe, from, to, dist);
                    }
                };
            }
            fj.invoke(new RecursiveAction() {
                @Override
                protected void compute() {
                    ForkJoinTask.invokeAll(tasks);
                }
            });
            hist = new int[MAX_DIST + 1];
            for (int[] h : hs) {
                for (int d = 0; d <= MAX_DIST; d++) {
                    hist[d] += h[d];
                }
            }
        } else {
            hist = hamming(probe, 0, n, dist);
        }
        want = Math.min(want, n);
        // cut: rows with distance < cut all fit; rows at distance == cut fill up the rest
        int cut = 0;
        int below = 0;
        while (cut < MAX_DIST && below + hist[cut] < want) {
            below += hist[cut];
            cut++;
        }
        int atCut = want - below;
        int[] rows = new int[want];
        int k = 0;
        for (int r = 0; r < n && k < want; r++) {
            int d = dist[r] & 0xff;
            if (d < cut) {
                rows[k++] = r;
            } else if (d == cut && atCut > 0) {
                rows[k++] = r;
                atCut--;
            }
        }
        return rows;
    }

    /** Hamming distances of rows [from, to) into {@code dist}, with their histogram. */
    private int[] hamming(long[] probe, int from, int to, byte[] dist) {
        int[] hist = new int[MAX_DIST + 1];
        long q0 = probe[0], q1 = probe[1], q2 = probe[2], q3 = probe[3];
        long[] s = sk;
        for (int r = from, o = from * WORDS; r < to; r++, o += WORDS) {
            int d = Long.bitCount(s[o] ^ q0) + Long.bitCount(s[o + 1] ^ q1)
                    + Long.bitCount(s[o + 2] ^ q2) + Long.bitCount(s[o + 3] ^ q3);
            d = Math.min(d, MAX_DIST);   // 256 (antipodal) counts as 255: one unsigned byte
            dist[r] = (byte) d;
            hist[d]++;
        }
        return hist;
    }

    long bytes() {
        return (long) sk.length * 8;
    }
}
