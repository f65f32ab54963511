package org.gatehouse.recognition.internal.gallery;

import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Approximate search by a Lucene HNSW graph ({@link HnswIndex}) of one community: exists while the method
 * is {@code hnsw} and the community holds more than the threshold (dropped below half of it), rebuilt when
 * more than {@link #MAX_DELETED} of its nodes are deleted. Large communities build it in the background
 * (snapshot under the read lock, build without a lock, catch up and swap in under the write lock);
 * searches stay exact, or on the old graph, meanwhile. Its {@code max(efSearch, m)} candidates are all
 * re-ranked with the float vectors.
 */
final class HnswSearch implements ApproximateSearch {

    /** Rows a background build adds to its new graph per lock hold while catching up. */
    private static final int CATCH_UP_CHUNK = 32;
    /** Deleted share of the graph that triggers a rebuild. */
    static final double MAX_DELETED = 0.20;
    private static final long SEED = 42L;

    private final QuantizedGallery gallery;
    private final Community community;
    /** The graph (null while there is none) and row -> graph ord. */
    private HnswIndex ann;
    private int[] rowToOrd;
    /** A background build is in flight. */
    private boolean building;

    HnswSearch(QuantizedGallery gallery, Community community) {
        this.gallery = gallery;
        this.community = community;
    }

    boolean isBuilding() {
        return building;
    }

    @Override
    public boolean answers() {
        return ann != null;
    }

    @Override
    public int[] candidates(float[] p, int[] pq, int m) {
        return ann.search(p, Math.max(gallery.efSearch(), m));
    }

    @Override
    public boolean narrowsByInt8() {
        return false;
    }

    @Override
    public void added(int row, float[] v, byte[] qv, int off) {
        if (ann != null) {
            rowToOrd[row] = ann.add(v, row);
        }
    }

    @Override
    public void removed(int row, int last) {
        if (ann != null) {
            ann.delete(rowToOrd[row]);
            if (row != last) {
                rowToOrd[row] = rowToOrd[last];
                ann.moveRow(rowToOrd[row], row);
            }
        }
    }

    @Override
    public void capacity(int cap) {
        if (rowToOrd != null) {
            rowToOrd = Arrays.copyOf(rowToOrd, cap);
        }
    }

    @Override
    public long bytes() {
        return ann == null ? 0 : ann.ramBytesUsed() + (long) rowToOrd.length * 4;
    }

    @Override
    public String label() {
        return "approximate (HNSW), ";
    }

    void drop() {
        ann = null;
        rowToOrd = null;
    }

    /** After the community was compacted: a graph with deleted nodes is rebuilt (write lock held). */
    void compacted() {
        if (ann != null && ann.deleted() > 0) {
            build();
        }
    }

    /** After add/remove/compaction/a method switch: create, rebuild or drop the graph (write lock held). */
    void maintain() {
        int t = gallery.approximateThreshold();
        int n = community.count();
        if (t <= 0 || gallery.method() != QuantizedGallery.ApproximateMethod.HNSW) {
            drop();
        } else if (ann == null) {
            if (n > t) {
                build();
            }
        } else if (n < t / 2) {
            drop();
        } else if (ann.deleted() > MAX_DELETED * ann.size()) {
            build();
        }
    }

    /** Builds the graph over all current rows (write lock held): synchronously for small communities, else in the background. */
    private void build() {
        int bm = gallery.backgroundMin();
        if (bm > 0 && community.count() >= bm && !gallery.isClosed()) {
            if (!building) {
                building = true;
                try {
                    gallery.buildExecutor().execute(this::buildInBackground);
                } catch (RejectedExecutionException e) {
                    building = false; // gallery closed
                }
            }
            return;
        }
        int n = community.count();
        HnswIndex idx = HnswIndex.build(community.vectors(), n, gallery.maxConn(), gallery.beamWidth(), SEED,
                gallery.indexBuildThreads());
        swapIn(idx, n);
    }

    /** Bulk-built graph: ord == row (write lock held). */
    private void swapIn(HnswIndex idx, int n) {
        int[] r2o = new int[community.capacity()];
        for (int r = 0; r < n; r++) {
            r2o[r] = r;
        }
        ann = idx;
        rowToOrd = r2o;
    }

    /** Snapshot under the read lock, build without any lock, swap in under the write lock. */
    private void buildInBackground() {
        ReentrantReadWriteLock lock = community.lock();
        while (true) {
            float[][] snap;
            int sn;
            long rem0;
            long ep;
            int mc;
            int bw;
            lock.readLock().lock();
            try {
                sn = community.count();
                snap = Arrays.copyOf(community.vectors(), sn);
                rem0 = community.removals();
                ep = gallery.configEpoch();
                mc = gallery.maxConn();
                bw = gallery.beamWidth();
            } finally {
                lock.readLock().unlock();
            }
            HnswIndex idx = null;
            try {
                idx = HnswIndex.build(snap, sn, mc, bw, SEED, gallery.indexBuildThreads());
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
                    if (idx == null || gallery.isClosed() || ep != gallery.configEpoch() || gallery.approximateThreshold() <= 0) {
                        building = false;
                        return;
                    }
                    int n = community.count();
                    if (community.removals() != rem0) {
                        resnapshot = true;     // rows were removed/moved meanwhile
                    } else if (n - done <= CATCH_UP_CHUNK) {
                        float[][] fv = community.vectors();
                        for (int r = done; r < n; r++) {
                            idx.add(fv[r], r);
                        }
                        swapIn(idx, n);
                        building = false;
                        maintain();
                        return;
                    }
                } finally {
                    lock.writeLock().unlock();
                }
                if (!resnapshot) {
                    lock.readLock().lock();
                    try {
                        if (community.removals() != rem0) {
                            resnapshot = true;
                        } else {
                            int end = Math.min(community.count(), done + CATCH_UP_CHUNK);
                            float[][] fv = community.vectors();
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
}
