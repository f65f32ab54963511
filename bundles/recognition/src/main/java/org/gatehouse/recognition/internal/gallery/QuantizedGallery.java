package org.gatehouse.recognition.internal.gallery;

import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;
import org.gatehouse.recognition.api.FaceGallery;
import org.gatehouse.recognition.api.GalleryStats;
import org.gatehouse.recognition.internal.osgi.RecognitionConfig;
import org.gatehouse.recognition.internal.osgi.RecognitionConfigs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;

/**
 * In-memory 1:N search, one {@link Community} per community id: int8 vectors (value x 127) in one
 * contiguous array scanned with integer dot products ({@link Int8Dot}), then the best candidates
 * re-ranked exactly with the float vectors. Read/write lock per community; add and remove are
 * incremental.
 * <p>
 * Communities larger than {@link #approximateThreshold()} templates are searched approximately
 * ({@link ApproximateSearch}), by {@link ApproximateMethod}: {@code SKETCH} ({@link SketchSearch})
 * scans 256-bit sign sketches and scores the {@code sketchCandidates} nearest rows exactly;
 * {@code HNSW} ({@link HnswSearch}) searches a Lucene graph and re-ranks its
 * {@code max(efSearch, 4k, rerank)} candidates exactly. A new gallery starts with the metatype
 * defaults ({@link RecognitionConfig}): the settings and their defaults are declared there only.
 */
public final class QuantizedGallery implements FaceGallery {

    /** Communities smaller than this are scanned by the calling thread alone. */
    static final int PARALLEL_MIN = 16_384;

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
    private ExecutorService buildExec;
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

    synchronized ExecutorService buildExecutor() {
        if (buildExec == null) {
            buildExec = Executors.newSingleThreadExecutor(r -> {
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
        communities.computeIfAbsent(communityId, c -> new Community(this)).add(subjectId, v);
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


    // ---------------------------------------------------------------- settings read by the communities

    ApproximateMethod method() {
        return method;
    }

    int sketchCandidates() {
        return sketchCandidates;
    }

    int efSearch() {
        return efSearch;
    }

    int maxConn() {
        return maxConn;
    }

    int beamWidth() {
        return beamWidth;
    }

    int backgroundMin() {
        return backgroundMin;
    }

    long configEpoch() {
        return configEpoch;
    }

    boolean isClosed() {
        return closed;
    }

    int indexBuildThreads() {
        return buildThreads;
    }

    int rerank() {
        return rerank;
    }

    /** The pool a scan of {@code n} rows is split over, or null to scan on the calling thread. */
    ForkJoinPool splitPool(int n) {
        return fj != null && n >= PARALLEL_MIN && fj.getParallelism() > 1 ? fj : null;
    }

    static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static List<Candidate> topK(Map<String, Float> best, int k) {
        List<Candidate> out = new ArrayList<>(best.size());
        best.forEach((s, v) -> out.add(new Candidate(s, v)));
        out.sort((a, b) -> {
            int c = Float.compare(b.score(), a.score());
            return c != 0 ? c : a.subjectId().compareTo(b.subjectId());
        });
        return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
    }
}
