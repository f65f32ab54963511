package org.gatehouse.recognition.internal.gallery;

import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;
import org.gatehouse.recognition.api.GalleryStats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The templates of one community: int8 vectors (value x 127) in one contiguous array, the unit float
 * vectors, subject ids, and the two approximate searches kept in step with them. Exact search = int8 scan
 * (split over the gallery's pool above {@link QuantizedGallery#PARALLEL_MIN} rows), then the best rows
 * re-ranked with the float vectors. Add and remove are incremental (removal moves the last row into the
 * hole). A read/write lock guards everything.
 */
final class Community {

    /** Rows scored per kernel call during a scan. */
    private static final int SCAN_BLOCK = 64;

    private final QuantizedGallery g;
    private final int dim;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private byte[] qv;
    private float[][] fv = new float[16][];
    private String[] ids = new String[16];
    private int n;
    private final Map<String, List<Integer>> rows = new HashMap<>();
    /** Sign sketches of every row (whatever the method) and the HNSW graph (method hnsw above the threshold). */
    private final SketchSearch sketch;
    private final HnswSearch hnsw;
    /** Rows removed/moved since the community was created (a background graph build re-snapshots). */
    private long removals;

    Community(QuantizedGallery g) {
        this.g = g;
        this.dim = g.dimension();
        this.qv = new byte[16 * dim];
        this.sketch = new SketchSearch(g, this, 16);
        this.hnsw = new HnswSearch(g, this);
    }

    // ---------------------------------------------------------------- views for the approximate searches (lock held)

    ReentrantReadWriteLock lock() {
        return lock;
    }

    int count() {
        return n;
    }

    float[][] vectors() {
        return fv;
    }

    int capacity() {
        return ids.length;
    }

    long removals() {
        return removals;
    }

    // ---------------------------------------------------------------- approximate search

    /** The approximate search that answers now, or null (lock held). */
    private ApproximateSearch approximate() {
        if (hnsw.answers()) {
            return hnsw;
        }
        return sketch.answers() ? sketch : null;
    }

    boolean isBuilding() {
        lock.readLock().lock();
        try {
            return hnsw.isBuilding();
        } finally {
            lock.readLock().unlock();
        }
    }

    boolean hasIndex() {
        lock.readLock().lock();
        try {
            return approximate() != null;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** After a method switch: build or drop the HNSW graph as the method asks. */
    void reindex() {
        lock.writeLock().lock();
        try {
            hnsw.maintain();
        } finally {
            lock.writeLock().unlock();
        }
    }

    void dropIndex() {
        lock.writeLock().lock();
        try {
            hnsw.drop();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- bookkeeping

    int size() {
        lock.readLock().lock();
        try {
            return n;
        } finally {
            lock.readLock().unlock();
        }
    }

    void add(String subject, float[] v) {
        lock.writeLock().lock();
        try {
            if (n == ids.length) {
                int cap = Math.max(16, (int) Math.min(Integer.MAX_VALUE / dim - 1, (long) ids.length * 3 / 2 + 1));
                if (cap <= n) {
                    throw new FaceException(Code.INVALID_ARGUMENT, "gallery full");
                }
                qv = Arrays.copyOf(qv, cap * dim);
                fv = Arrays.copyOf(fv, cap);
                ids = Arrays.copyOf(ids, cap);
                sketch.capacity(cap);
                hnsw.capacity(cap);
            }
            int off = n * dim;
            for (int i = 0; i < dim; i++) {
                qv[off + i] = QuantizedGallery.q(v[i]);
            }
            sketch.added(n, v, qv, off);
            fv[n] = v;
            ids[n] = subject;
            rows.computeIfAbsent(subject, s -> new ArrayList<>()).add(n);
            hnsw.added(n, v, qv, off);
            n++;
            hnsw.maintain();
        } finally {
            lock.writeLock().unlock();
        }
    }

    int remove(String subject) {
        lock.writeLock().lock();
        try {
            List<Integer> rs = rows.remove(subject);
            if (rs == null) {
                return 0;
            }
            List<Integer> sorted = new ArrayList<>(rs);
            sorted.sort((a, b) -> Integer.compare(b, a)); // highest first: moving the last row never hits a pending one
            for (int r : sorted) {
                int last = n - 1;
                removals++;
                hnsw.removed(r, last);
                if (r != last) {
                    System.arraycopy(qv, last * dim, qv, r * dim, dim);
                    sketch.removed(r, last);
                    fv[r] = fv[last];
                    ids[r] = ids[last];
                    List<Integer> moved = rows.get(ids[r]);
                    moved.set(moved.indexOf(last), r);
                }
                fv[last] = null;
                ids[last] = null;
                n--;
            }
            hnsw.maintain();
            return sorted.size();
        } finally {
            lock.writeLock().unlock();
        }
    }

    void compact() {
        lock.writeLock().lock();
        try {
            int cap = Math.max(16, n);
            qv = Arrays.copyOf(qv, cap * dim);
            fv = Arrays.copyOf(fv, cap);
            ids = Arrays.copyOf(ids, cap);
            hnsw.capacity(cap);
            hnsw.compacted();
            hnsw.maintain();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- search

    List<Candidate> search(float[] p, int k, boolean approximate) {
        int[] pq = new int[dim];
        for (int i = 0; i < dim; i++) {
            pq[i] = QuantizedGallery.q(p[i]);
        }
        lock.readLock().lock();
        try {
            if (n == 0) {
                return List.of();
            }
            int m = Math.min(n, Math.max(g.rerank(), 4 * k));
            ApproximateSearch a = approximate ? approximate() : null;
            if (a != null && !a.narrowsByInt8()) {
                int[] cand = a.candidates(p, pq, m);   // every candidate re-ranked with the float vectors
                return rerank(cand, cand.length, p, k);
            }
            TopInt top;
            if (a != null) {
                // candidate rows scored exactly (int8, then float)
                int[] cand = a.candidates(p, pq, m);
                top = new TopInt(m);
                Int8Dot kernel = Int8Dot.INSTANCE;
                for (int r : cand) {
                    int s = kernel.dot(qv, r * dim, pq, dim);
                    if (s > top.min()) {
                        top.offer(s, r);
                    }
                }
            } else {
                ForkJoinPool pool = g.splitPool(n);
                if (pool != null) {
                    int chunk = Math.max(QuantizedGallery.PARALLEL_MIN / 2, (n + pool.getParallelism() - 1) / pool.getParallelism());
                    top = pool.invoke(new Scan(pq, 0, n, m, chunk));
                } else {
                    top = scan(pq, 0, n, m);
                }
            }
            return rerank(top.row, top.n, p, k);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Exact float re-rank of the first {@code count} rows given, best score per subject. */
    private List<Candidate> rerank(int[] cand, int count, float[] p, int k) {
        Map<String, Float> best = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int r = cand[i];
            best.merge(ids[r], QuantizedGallery.dot(fv[r], p), Math::max);
        }
        return QuantizedGallery.topK(best, k);
    }

    private TopInt scan(int[] pq, int from, int to, int m) {
        TopInt top = new TopInt(m);
        byte[] a = qv;
        int d = dim;
        Int8Dot k = Int8Dot.INSTANCE;
        int[] block = new int[SCAN_BLOCK];
        for (int r = from; r < to; r += SCAN_BLOCK) {
            int rows = Math.min(SCAN_BLOCK, to - r);
            k.dots(a, r * d, rows, pq, d, block);
            for (int i = 0; i < rows; i++) {
                if (block[i] > top.min()) {
                    top.offer(block[i], r + i);
                }
            }
        }
        return top;
    }

    private final class Scan extends RecursiveTask<TopInt> {
        private final int[] pq;
        private final int from, to, m, chunk;

        Scan(int[] pq, int from, int to, int m, int chunk) {
            this.pq = pq;
            this.from = from;
            this.to = to;
            this.m = m;
            this.chunk = chunk;
        }

        @Override
        protected TopInt compute() {
            if (to - from <= chunk) {
                return scan(pq, from, to, m);
            }
            int mid = (from + to) >>> 1;
            Scan left = new Scan(pq, from, mid, m, chunk);
            left.fork();
            TopInt right = new Scan(pq, mid, to, m, chunk).compute();
            TopInt l = left.join();
            for (int i = 0; i < right.n; i++) {
                if (right.score[i] > l.min()) {
                    l.offer(right.score[i], right.row[i]);
                }
            }
            return l;
        }
    }

    List<Candidate> bruteForce(float[] p, int k) {
        lock.readLock().lock();
        try {
            Map<String, Float> best = new HashMap<>();
            for (int r = 0; r < n; r++) {
                best.merge(ids[r], QuantizedGallery.dot(fv[r], p), Math::max);
            }
            return QuantizedGallery.topK(best, k);
        } finally {
            lock.readLock().unlock();
        }
    }

    float verify(String subject, float[] p) {
        lock.readLock().lock();
        try {
            List<Integer> rs = rows.get(subject);
            if (rs == null) {
                return Float.NaN;
            }
            float best = -2f;
            for (int r : rs) {
                best = Math.max(best, QuantizedGallery.dot(fv[r], p));
            }
            return best;
        } finally {
            lock.readLock().unlock();
        }
    }

    GalleryStats stats(String id) {
        lock.readLock().lock();
        try {
            long bytes = (long) qv.length + (long) ids.length * 8 + (long) n * (dim * 4L + 16) + sketch.bytes() + hnsw.bytes();
            ApproximateSearch a = approximate();
            return new GalleryStats(id, rows.size(), n, dim, bytes,
                    (a != null ? a.label() : "exact, ") + Int8Dot.INSTANCE.name());
        } finally {
            lock.readLock().unlock();
        }
    }
}
