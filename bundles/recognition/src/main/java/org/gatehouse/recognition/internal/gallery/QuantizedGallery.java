package org.gatehouse.recognition.internal.gallery;

import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;
import org.gatehouse.recognition.api.FaceGallery;
import org.gatehouse.recognition.api.GalleryStats;
import org.gatehouse.recognition.internal.osgi.RecognitionConfig;
import org.gatehouse.recognition.internal.osgi.RecognitionConfigs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * In-memory 1:N search. Per community: int8 vectors (value x 127) in one contiguous
 * array scanned with integer dot products, then the best candidates are re-ranked exactly with
 * the float vectors. Read/write lock per community; add and remove are incremental (removal
 * moves the last row into the hole).
 * <p>
 * Communities larger than {@link #approximateThreshold()} templates are searched approximately,
 * by {@link ApproximateMethod}: {@code SKETCH} (default) scans 256-bit sign sketches
 * ({@link SignSketches}, kept for every row) and scores the {@code sketchCandidates} nearest rows
 * exactly; {@code HNSW} searches a Lucene graph ({@link HnswIndex}) and re-ranks its
 * {@code max(efSearch, 4k, rerank)} candidates exactly. Dot products: {@link Int8Dot}.
 */
public final class QuantizedGallery implements FaceGallery {

    /** Communities smaller than this are scanned by the calling thread alone. */
    private static final int PARALLEL_MIN = 16_384;
    /** Rows scored per kernel call during a scan. */
    private static final int SCAN_BLOCK = 64;

    private final int dim;
    private final int rerank;
    private final ForkJoinPool fj;
    private final Map<String, Community> communities = new ConcurrentHashMap<>();

    /**
     * How a community above the approximate threshold is searched: {@code SKETCH} scans 256-bit sign
     * sketches and scores the Hamming-nearest rows exactly (no build, recall independent of the data's
     * structure); {@code HNSW} searches a Lucene HNSW graph (built in the background, minutes at 100k+).
     */
    public enum ApproximateMethod { SKETCH, HNSW }

    /** Rows a background build adds to its new graph per lock hold while catching up. */
    private static final int CATCH_UP_CHUNK = 32;
    /** Deleted share of the graph that triggers a rebuild. */
    static final double MAX_DELETED = 0.20;

    /** Settings: a new gallery starts at the metatype defaults ({@link RecognitionConfig}), declared there only. */
    private volatile int annThreshold;
    private volatile ApproximateMethod method;
    private volatile int sketchCandidates;
    private volatile int efSearch;
    private volatile int maxConn;
    private volatile int beamWidth;
    /** Communities at least this large build their index in the background (0 = always synchronously). */
    private volatile int backgroundMin;
    /** Bumped by every {@link #configureApproximate}: a background build started before is discarded. */
    private volatile long configEpoch;
    private java.util.concurrent.ExecutorService buildExec;
    private volatile boolean closed;
    /** Threads of a (bulk) index build: Lucene's concurrent HNSW builder on short-lived daemon threads. */
    private volatile int buildThreads = Runtime.getRuntime().availableProcessors();

    /** Gallery with its own scan pool of one thread per core. */
    public QuantizedGallery(int dim) {
        this(dim, 64, Runtime.getRuntime().availableProcessors() > 1
                ? new ForkJoinPool(Runtime.getRuntime().availableProcessors()) : null);
    }

    /** Stops the scan pool. */
    public void close() {
        closed = true;
        synchronized (this) {
            if (buildExec != null) {
                buildExec.shutdownNow();
            }
        }
        if (fj != null && fj != ForkJoinPool.commonPool()) {
            fj.shutdown();
        }
    }

    /**
     * @param rerank minimum number of quantised hits re-ranked with float vectors
     * @param fj pool for splitting scans of large communities (null = single thread)
     */
    public QuantizedGallery(int dim, int rerank, ForkJoinPool fj) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dim");
        }
        this.dim = dim;
        this.rerank = Math.max(1, rerank);
        this.fj = fj;
        RecognitionConfig d = RecognitionConfigs.defaults();
        this.method = methodOf(d.galleryApproximateMethod());
        this.sketchCandidates = d.gallerySketchCandidates();
        configureApproximate(d.galleryApproximateThreshold(), d.galleryEfSearch(), d.galleryMaxConn(), d.galleryBeamWidth());
    }

    @Override
    public int dimension() {
        return dim;
    }

    /**
     * Approximate search settings. A community is searched approximately once it holds more than
     * {@code threshold} templates (0 = never); with method hnsw it gets a graph then (a community that
     * shrinks below half the threshold drops it). Changing the graph parameters affects graphs built
     * afterwards.
     */
    public void configureApproximate(int threshold, int efSearch, int maxConn, int beamWidth) {
        if (threshold < 0 || efSearch <= 0 || maxConn <= 0 || beamWidth <= 0) {
            throw new IllegalArgumentException("approximate index settings");
        }
        this.efSearch = efSearch;
        this.maxConn = maxConn;
        this.beamWidth = beamWidth;
        this.annThreshold = threshold;
        configEpoch++;
        if (threshold == 0) {
            communities.values().forEach(Community::dropIndex);
        }
    }

    /**
     * Approximate search method ({@code sketch} or {@code hnsw}, case-insensitive) and, for sketches,
     * how many Hamming-nearest rows are scored exactly. Switching drops or builds HNSW indexes.
     */
    public void configureApproximateMethod(String name, int candidates) {
        ApproximateMethod m = methodOf(name);
        if (candidates <= 0) {
            throw new IllegalArgumentException("sketch candidates must be > 0");
        }
        this.sketchCandidates = candidates;
        if (m != method) {
            method = m;
            configEpoch++;
            communities.values().forEach(Community::reindex);
        }
    }

    private static ApproximateMethod methodOf(String name) {
        try {
            return ApproximateMethod.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("approximate method must be sketch or hnsw: " + name);
        }
    }

    /** Threads used to build an approximate index (default: one per core; 1 = single-threaded). */
    public void setIndexBuildThreads(int threads) {
        this.buildThreads = Math.max(1, threads);
    }

    /**
     * Communities with at least {@code minSize} templates build (and rebuild) their approximate index
     * on a background thread, outside the community lock: searches stay exact until the new index
     * is swapped in (an existing index keeps serving during a rebuild). 0 = always build
     * synchronously under the write lock (default; fine for small communities and tests).
     */
    public void setBackgroundIndexBuild(int minSize) {
        this.backgroundMin = Math.max(0, minSize);
    }

    private synchronized java.util.concurrent.ExecutorService buildExecutor() {
        if (buildExec == null) {
            buildExec = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "gatehouse-gallery-index");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                return t;
            });
        }
        return buildExec;
    }

    /** Whether a background index build of the community is in flight. */
    public boolean isIndexBuilding(String communityId) {
        Community c = communities.get(communityId);
        return c != null && c.isBuilding();
    }

    public int approximateThreshold() {
        return annThreshold;
    }

    /** Whether the community currently searches through the approximate index. */
    public boolean isApproximate(String communityId) {
        Community c = communities.get(communityId);
        return c != null && c.hasIndex();
    }

    /** Exact search (int8 scan + float re-rank) even when the community has an approximate index. */
    public List<Candidate> searchExact(String communityId, float[] probe, int k) {
        if (k <= 0) {
            throw new FaceException(Code.INVALID_ARGUMENT, "k must be > 0");
        }
        Community c = communities.get(communityId);
        return c == null ? List.of() : c.search(normalised(probe), k, false);
    }

    private float[] normalised(float[] v) {
        if (v == null) {
            throw new FaceException(Code.INVALID_ARGUMENT, "template is null");
        }
        if (v.length != dim) {
            throw new FaceException(Code.DIMENSION_MISMATCH, v.length, dim);
        }
        double s = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new FaceException(Code.INVALID_ARGUMENT, "template has NaN/Inf");
            }
            s += (double) x * x;
        }
        if (s <= 0) {
            throw new FaceException(Code.INVALID_ARGUMENT, "template is zero");
        }
        float inv = (float) (1.0 / Math.sqrt(s));
        float[] r = new float[dim];
        for (int i = 0; i < dim; i++) {
            r[i] = v[i] * inv;
        }
        return r;
    }

    static byte q(float x) {
        int v = Math.round(x * 127f);
        return (byte) (v > 127 ? 127 : Math.max(v, -127));
    }

    private static String req(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new FaceException(Code.INVALID_ARGUMENT, what + " is empty");
        }
        return s;
    }

    @Override
    public void add(String communityId, String subjectId, float[] template) {
        req(communityId, "communityId");
        req(subjectId, "subjectId");
        float[] v = normalised(template);
        communities.computeIfAbsent(communityId, c -> new Community()).add(subjectId, v);
    }

    @Override
    public int remove(String communityId, String subjectId) {
        Community c = communities.get(communityId);
        return c == null ? 0 : c.remove(subjectId);
    }

    @Override
    public int clear(String communityId) {
        Community c = communities.remove(communityId);
        return c == null ? 0 : c.size();
    }

    @Override
    public List<Candidate> search(String communityId, float[] probe, int k) {
        if (k <= 0) {
            throw new FaceException(Code.INVALID_ARGUMENT, "k must be > 0");
        }
        float[] p = normalised(probe);
        Community c = communities.get(communityId);
        return c == null ? List.of() : c.search(p, k, true);
    }

    @Override
    public float verify(String communityId, String subjectId, float[] probe) {
        float[] p = normalised(probe);
        Community c = communities.get(communityId);
        return c == null ? Float.NaN : c.verify(subjectId, p);
    }

    @Override
    public int size(String communityId) {
        Community c = communities.get(communityId);
        return c == null ? 0 : c.size();
    }

    @Override
    public GalleryStats stats(String communityId) {
        Community c = communities.get(communityId);
        return c == null ? new GalleryStats(communityId, 0, 0, dim, 0, "exact, " + Int8Dot.INSTANCE.name()) : c.stats(communityId);
    }

    @Override
    public Set<String> communities() {
        return new TreeSet<>(communities.keySet());
    }

    @Override
    public void rebuild(String communityId) {
        Community c = communities.get(communityId);
        if (c != null) {
            c.compact();
        }
    }

    /** Exact brute-force float search (reference for tests). */
    public List<Candidate> searchExactFloat(String communityId, float[] probe, int k) {
        Community c = communities.get(communityId);
        return c == null ? List.of() : c.bruteForce(normalised(probe), k);
    }

    /** The pool a scan of {@code n} rows is split over, or null to scan on the calling thread. */
    private ForkJoinPool splitPool(int n) {
        return fj != null && n >= PARALLEL_MIN && fj.getParallelism() > 1 ? fj : null;
    }

    static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Bounded min-heap of (int score, row). */
    static final class TopInt {
        final int[] score;
        final int[] row;
        int n;

        TopInt(int cap) {
            score = new int[cap];
            row = new int[cap];
        }

        void offer(int s, int r) {
            if (n < score.length) {
                int i = n++;
                while (i > 0) {
                    int p = (i - 1) >> 1;
                    if (score[p] <= s) {
                        break;
                    }
                    score[i] = score[p];
                    row[i] = row[p];
                    i = p;
                }
                score[i] = s;
                row[i] = r;
            } else if (s > score[0]) {
                int i = 0;
                while (true) {
                    int l = 2 * i + 1;
                    if (l >= n) {
                        break;
                    }
                    int c = (l + 1 < n && score[l + 1] < score[l]) ? l + 1 : l;
                    if (score[c] >= s) {
                        break;
                    }
                    score[i] = score[c];
                    row[i] = row[c];
                    i = c;
                }
                score[i] = s;
                row[i] = r;
            }
        }

        int min() {
            return n < score.length ? Integer.MIN_VALUE : score[0];
        }
    }

    final class Community {
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private byte[] qv = new byte[16 * dim];
        private float[][] fv = new float[16][];
        private String[] ids = new String[16];
        private int n;
        private final Map<String, List<Integer>> rows = new HashMap<>();
        /** 256-bit sign sketch per row (32 B), kept in step with qv for the sketch search. */
        private final SignSketches sketches = new SignSketches(dim, 16);
        /** Approximate index (null below the threshold) and row -> graph ord. */
        private HnswIndex ann;
        private int[] rowToOrd;
        /** A background build is in flight; rows removed/moved since the gallery was created. */
        private boolean building;
        private long removals;

        boolean isBuilding() {
            lock.readLock().lock();
            try {
                return building;
            } finally {
                lock.readLock().unlock();
            }
        }

        boolean hasIndex() {
            lock.readLock().lock();
            try {
                return ann != null || sketchActive();
            } finally {
                lock.readLock().unlock();
            }
        }

        /** Sketch search applies: method sketch and more rows than the threshold (lock held). */
        private boolean sketchActive() {
            int t = annThreshold;
            return method == ApproximateMethod.SKETCH && t > 0 && n > t;
        }

        /** After a method switch: build or drop the HNSW index as the method asks. */
        void reindex() {
            lock.writeLock().lock();
            try {
                maintainIndex();
            } finally {
                lock.writeLock().unlock();
            }
        }

        void dropIndex() {
            lock.writeLock().lock();
            try {
                ann = null;
                rowToOrd = null;
            } finally {
                lock.writeLock().unlock();
            }
        }

        /**
         * Builds the index over all current rows (write lock held): synchronously for small
         * communities, else in the background (searches stay exact, or on the old index, meanwhile).
         */
        private void buildIndex() {
            int bm = backgroundMin;
            if (bm > 0 && n >= bm && !closed) {
                if (!building) {
                    building = true;
                    try {
                        buildExecutor().execute(this::buildInBackground);
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        building = false; // gallery closed
                    }
                }
                return;
            }
            buildIndexNow();
        }

        /** Snapshot under the read lock, build without any lock, swap in under the write lock. */
        private void buildInBackground() {
            while (true) {
                float[][] snap;
                int sn;
                long rem0;
                long ep;
                int mc;
                int bw;
                lock.readLock().lock();
                try {
                    sn = n;
                    snap = Arrays.copyOf(fv, sn);
                    rem0 = removals;
                    ep = configEpoch;
                    mc = maxConn;
                    bw = beamWidth;
                } finally {
                    lock.readLock().unlock();
                }
                HnswIndex idx = null;
                try {
                    idx = HnswIndex.build(snap, sn, mc, bw, 42L, buildThreads);
                } catch (RuntimeException | OutOfMemoryError e) {
                    System.err.println("gatehouse gallery: background index build failed, staying exact: " + e);
                }
                // catch up with the rows appended meanwhile (ord == row while nothing was removed):
                // in small chunks under the read lock, the last few under the write lock
                int done = sn;
                boolean resnapshot = false;
                while (!resnapshot) {
                    lock.writeLock().lock();
                    try {
                        if (idx == null || closed || ep != configEpoch || annThreshold <= 0) {
                            building = false;
                            return;
                        }
                        if (removals != rem0) {
                            resnapshot = true;     // rows were removed/moved meanwhile
                        } else if (n - done <= CATCH_UP_CHUNK) {
                            for (int r = done; r < n; r++) {
                                idx.add(fv[r], r);
                            }
                            int[] r2o = new int[ids.length];
                            for (int r = 0; r < n; r++) {
                                r2o[r] = r;
                            }
                            ann = idx;
                            rowToOrd = r2o;
                            building = false;
                            maintainIndex();
                            return;
                        }
                    } finally {
                        lock.writeLock().unlock();
                    }
                    if (!resnapshot) {
                        lock.readLock().lock();
                        try {
                            if (removals != rem0) {
                                resnapshot = true;
                            } else {
                                int end = Math.min(n, done + CATCH_UP_CHUNK);
                                for (int r = done; r < end; r++) {
                                    idx.add(fv[r], r);
                                }
                                done = end;
                            }
                        } finally {
                            lock.readLock().unlock();
                        }
                    }
                }
            }
        }

        private void buildIndexNow() {
            HnswIndex idx = HnswIndex.build(fv, n, maxConn, beamWidth, 42L, buildThreads);
            int[] r2o = new int[ids.length];
            for (int r = 0; r < n; r++) {
                r2o[r] = r; // bulk build: ord == row
            }
            ann = idx;
            rowToOrd = r2o;
        }

        /** After add/remove: create, rebuild or drop the index (write lock held). */
        private void maintainIndex() {
            int t = annThreshold;
            if (t <= 0 || method != ApproximateMethod.HNSW) {
                ann = null;
                rowToOrd = null;
            } else if (ann == null) {
                if (n > t) {
                    buildIndex();
                }
            } else if (n < t / 2) {
                ann = null;
                rowToOrd = null;
            } else if (ann.deleted() > MAX_DELETED * ann.size()) {
                buildIndex();
            }
        }

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
                    sketches.ensureCapacity(cap);
                    if (rowToOrd != null) {
                        rowToOrd = Arrays.copyOf(rowToOrd, cap);
                    }
                }
                int off = n * dim;
                for (int i = 0; i < dim; i++) {
                    qv[off + i] = q(v[i]);
                }
                sketches.set(n, qv, off);
                fv[n] = v;
                ids[n] = subject;
                rows.computeIfAbsent(subject, s -> new ArrayList<>()).add(n);
                if (ann != null) {
                    rowToOrd[n] = ann.add(v, n);
                }
                n++;
                maintainIndex();
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
                    if (ann != null) {
                        ann.delete(rowToOrd[r]);
                        if (r != last) {
                            rowToOrd[r] = rowToOrd[last];
                            ann.moveRow(rowToOrd[r], r);
                        }
                    }
                    if (r != last) {
                        System.arraycopy(qv, last * dim, qv, r * dim, dim);
                        sketches.move(last, r);
                        fv[r] = fv[last];
                        ids[r] = ids[last];
                        List<Integer> moved = rows.get(ids[r]);
                        moved.set(moved.indexOf(last), r);
                    }
                    fv[last] = null;
                    ids[last] = null;
                    n--;
                }
                maintainIndex();
                return sorted.size();
            } finally {
                lock.writeLock().unlock();
            }
        }

        List<Candidate> search(float[] p, int k, boolean approximate) {
            int[] pq = new int[dim];
            for (int i = 0; i < dim; i++) {
                pq[i] = q(p[i]);
            }
            lock.readLock().lock();
            try {
                if (n == 0) {
                    return List.of();
                }
                int m = Math.min(n, Math.max(rerank, 4 * k));
                if (approximate && ann != null) {
                    // HNSW candidates, re-ranked exactly with the float vectors
                    int[] cand = ann.search(p, Math.max(efSearch, m));
                    Map<String, Float> best = new HashMap<>();
                    for (int r : cand) {
                        best.merge(ids[r], dot(fv[r], p), Math::max);
                    }
                    return topK(best, k);
                }
                TopInt top;
                if (approximate && sketchActive()) {
                    // rows nearest in Hamming distance of the sign sketches, scored exactly (int8, then float)
                    int[] cand = sketches.nearest(sketches.sketch(pq), n, Math.max(sketchCandidates, m), splitPool(n));
                    top = new TopInt(m);
                    Int8Dot kernel = Int8Dot.INSTANCE;
                    for (int r : cand) {
                        int s = kernel.dot(qv, r * dim, pq, dim);
                        if (s > top.min()) {
                            top.offer(s, r);
                        }
                    }
                } else if (splitPool(n) != null) {
                    int chunk = Math.max(PARALLEL_MIN / 2, (n + fj.getParallelism() - 1) / fj.getParallelism());
                    top = fj.invoke(new Scan(pq, 0, n, m, chunk));
                } else {
                    top = scan(pq, 0, n, m);
                }
                // exact float re-rank, best score per subject
                Map<String, Float> best = new HashMap<>();
                for (int i = 0; i < top.n; i++) {
                    int r = top.row[i];
                    float s = dot(fv[r], p);
                    best.merge(ids[r], s, Math::max);
                }
                return topK(best, k);
            } finally {
                lock.readLock().unlock();
            }
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
                    best.merge(ids[r], dot(fv[r], p), Math::max);
                }
                return topK(best, k);
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
                    best = Math.max(best, dot(fv[r], p));
                }
                return best;
            } finally {
                lock.readLock().unlock();
            }
        }

        GalleryStats stats(String id) {
            lock.readLock().lock();
            try {
                long bytes = (long) qv.length + (long) ids.length * 8 + (long) n * (dim * 4L + 16) + sketches.bytes();
                if (ann != null) {
                    bytes += ann.ramBytesUsed() + (long) rowToOrd.length * 4;
                }
                return new GalleryStats(id, rows.size(), n, dim, bytes,
                        (ann != null ? "approximate (HNSW), " : sketchActive() ? "approximate (sign sketches), " : "exact, ")
                                + Int8Dot.INSTANCE.name());
            } finally {
                lock.readLock().unlock();
            }
        }

        void compact() {
            lock.writeLock().lock();
            try {
                int cap = Math.max(16, n);
                qv = Arrays.copyOf(qv, cap * dim);
                fv = Arrays.copyOf(fv, cap);
                ids = Arrays.copyOf(ids, cap);
                if (ann != null && ann.deleted() > 0) {
                    buildIndex();
                } else if (rowToOrd != null) {
                    rowToOrd = Arrays.copyOf(rowToOrd, cap);
                }
                maintainIndex();
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    private static List<Candidate> topK(Map<String, Float> best, int k) {
        List<Candidate> out = new ArrayList<>(best.size());
        best.forEach((s, v) -> out.add(new Candidate(s, v)));
        out.sort((a, b) -> {
            int c = Float.compare(b.score(), a.score());
            return c != 0 ? c : a.subjectId().compareTo(b.subjectId());
        });
        return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
    }
}
