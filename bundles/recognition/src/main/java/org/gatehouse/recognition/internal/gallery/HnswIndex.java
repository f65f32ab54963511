package org.gatehouse.recognition.internal.gallery;

import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Approximate nearest-neighbour index of one community: Lucene's on-heap HNSW graph
 * ({@link HnswGraphBuilder}, {@link HnswGraphSearcher}) over our own float vectors (the same
 * {@code float[]} objects the gallery keeps for re-ranking, nothing is copied), no Lucene index.
 * Graph nodes ("ords") are append-only; a removed template is only marked deleted (filtered
 * out at search time) and the owner rebuilds the index when too many are deleted.
 * Not thread-safe by itself: add/delete under the community's write lock, search under its
 * read lock (searches use their own cursor over the graph, so they may run concurrently).
 */
final class HnswIndex {

    private final int maxConn;
    private final int beamWidth;
    private float[][] vecs;
    private int[] ordToRow;
    private long[] live;
    private int size;
    private int deleted;
    private final HnswGraphBuilder builder;

    HnswIndex(int capacity, int maxConn, int beamWidth, long seed) {
        int cap = Math.max(16, capacity);
        this.maxConn = maxConn;
        this.beamWidth = beamWidth;
        vecs = new float[cap][];
        ordToRow = new int[cap];
        live = new long[(cap + 63) >>> 6];
        try {
            builder = HnswGraphBuilder.create(new Supplier(), maxConn, beamWidth, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int maxConn() {
        return maxConn;
    }

    int beamWidth() {
        return beamWidth;
    }

    /** Nodes in the graph (live + deleted). */
    int size() {
        return size;
    }

    int deleted() {
        return deleted;
    }

    /** Adds a (unit) vector that lives in gallery row {@code row}; returns its ord. */
    int add(float[] v, int row) {
        if (size == vecs.length) {
            int cap = vecs.length + (vecs.length >> 1) + 16;
            vecs = Arrays.copyOf(vecs, cap);
            ordToRow = Arrays.copyOf(ordToRow, cap);
            live = Arrays.copyOf(live, (cap + 63) >>> 6);
        }
        int ord = size;
        vecs[ord] = v;
        ordToRow[ord] = row;
        live[ord >>> 6] |= 1L << ord;
        size++;
        try {
            builder.addGraphNode(ord);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ord;
    }

    void delete(int ord) {
        long bit = 1L << ord;
        if ((live[ord >>> 6] & bit) != 0) {
            live[ord >>> 6] &= ~bit;
            deleted++;
        }
    }

    /** The template of {@code ord} moved to another gallery row. */
    void moveRow(int ord, int row) {
        ordToRow[ord] = row;
    }

    /** Gallery rows of the (up to) {@code ef} live nodes nearest to the unit probe. */
    int[] search(float[] probe, int ef) {
        TopKnnCollector collector = new TopKnnCollector(ef, Integer.MAX_VALUE);
        int n = size;
        float[][] vs = vecs;
        long[] lv = live;
        RandomVectorScorer scorer = new RandomVectorScorer() {
            @Override
            public float score(int node) {
                return (1f + dot8(vs[node], probe)) * 0.5f;
            }

            @Override
            public int maxOrd() {
                return n;
            }
        };
        Bits accept = deleted == 0 ? null : new Bits() {
            @Override
            public boolean get(int i) {
                return (lv[i >>> 6] & (1L << i)) != 0;
            }

            @Override
            public int length() {
                return n;
            }
        };
        try {
            HnswGraphSearcher.search(scorer, collector, new View(builder.getGraph()), accept);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ScoreDoc[] docs = collector.topDocs().scoreDocs;
        int[] rows = new int[docs.length];
        for (int i = 0; i < docs.length; i++) {
            rows[i] = ordToRow[docs[i].doc];
        }
        return rows;
    }

    long ramBytesUsed() {
        return builder.getGraph().ramBytesUsed() + (long) ordToRow.length * 4 + (long) vecs.length * 8 + live.length * 8L;
    }

    /** Dot product with 8 independent accumulators (graph scoring only; re-rank uses the gallery's dot). */
    static float dot8(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        int m = a.length & ~7;
        for (; i < m; i += 8) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
            s4 += a[i + 4] * b[i + 4];
            s5 += a[i + 5] * b[i + 5];
            s6 += a[i + 6] * b[i + 6];
            s7 += a[i + 7] * b[i + 7];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    private final class Supplier implements RandomVectorScorerSupplier {
        @Override
        public RandomVectorScorer scorer(int ord) {
            float[] q = vecs[ord];
            return new RandomVectorScorer() {
                @Override
                public float score(int node) {
                    return (1f + dot8(vecs[node], q)) * 0.5f;
                }

                @Override
                public int maxOrd() {
                    return size;
                }
            };
        }

        @Override
        public RandomVectorScorerSupplier copy() {
            return this;
        }
    }

    /** Read-only cursor over the shared on-heap graph (its own seek/next state is not shareable). */
    private static final class View extends HnswGraph {
        private final OnHeapHnswGraph g;
        private NeighborArray cur;
        private int upto;

        View(OnHeapHnswGraph g) {
            this.g = g;
        }

        @Override
        public void seek(int level, int target) {
            cur = g.getNeighbors(level, target);
            upto = -1;
        }

        @Override
        public int nextNeighbor() {
            if (++upto < cur.size()) {
                return cur.nodes()[upto];
            }
            return Integer.MAX_VALUE; // DocIdSetIterator.NO_MORE_DOCS
        }

        @Override
        public int size() {
            return g.size();
        }

        @Override
        public int maxNodeId() {
            return g.maxNodeId();
        }

        @Override
        public int numLevels() throws IOException {
            return g.numLevels();
        }

        @Override
        public int entryNode() throws IOException {
            return g.entryNode();
        }

        @Override
        public NodesIterator getNodesOnLevel(int level) throws IOException {
            return g.getNodesOnLevel(level);
        }
    }
}
