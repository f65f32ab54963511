package org.gatehouse.recognition;

import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.internal.gallery.QuantizedGallery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GalleryTest {

    static final int DIM = 512;
    final QuantizedGallery g = new QuantizedGallery(DIM, 64, new ForkJoinPool(2));

    @AfterEach
    void close() {
        g.close();
    }

    static float[] unit(Random r) {
        float[] v = new float[DIM];
        double s = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextGaussian();
            s += v[i] * v[i];
        }
        for (int i = 0; i < DIM; i++) {
            v[i] /= (float) Math.sqrt(s);
        }
        return v;
    }

    /** Probe close to a stored vector. */
    static float[] near(float[] v, Random r, double noise) {
        float[] p = v.clone();
        for (int i = 0; i < DIM; i++) {
            p[i] += (float) (r.nextGaussian() * noise);
        }
        return p;
    }

    static List<Candidate> brute(Map<String, List<float[]>> ref, float[] probe, int k) {
        float[] p = probe.clone();
        double s = 0;
        for (float x : p) {
            s += x * x;
        }
        for (int i = 0; i < DIM; i++) {
            p[i] /= (float) Math.sqrt(s);
        }
        List<Candidate> all = new ArrayList<>();
        ref.forEach((id, vs) -> {
            float best = -2;
            for (float[] v : vs) {
                best = Math.max(best, TestImages.dot(v, p));
            }
            all.add(new Candidate(id, best));
        });
        all.sort((a, b) -> Float.compare(b.score(), a.score()));
        return all.subList(0, Math.min(k, all.size()));
    }

    @Test
    void addRemoveSearchMatchesBruteForce() {
        Random r = new Random(11);
        Map<String, List<float[]>> ref = new HashMap<>();
        List<float[]> stored = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {  // large enough to use the parallel scan
            String id = "s" + (i % 30_000);     // some subjects have two templates
            float[] v = unit(r);
            g.add("c1", id, v);
            ref.computeIfAbsent(id, x -> new ArrayList<>()).add(v);
            stored.add(v);
        }
        g.add("c2", "other", unit(r));
        for (int i = 0; i < 3000; i++) {
            String id = "s" + r.nextInt(30_000);
            int removed = g.remove("c1", id);
            List<float[]> had = ref.remove(id);
            assertEquals(had == null ? 0 : had.size(), removed);
        }
        int total = ref.values().stream().mapToInt(List::size).sum();
        assertEquals(total, g.size("c1"));
        assertEquals(ref.size(), g.stats("c1").subjects());
        for (int q = 0; q < 30; q++) {
            float[] probe = q % 2 == 0 ? near(stored.get(r.nextInt(stored.size())), r, 0.02) : unit(r);
            List<Candidate> got = g.search("c1", probe, 10);
            List<Candidate> exp = brute(ref, probe, 10);
            assertEquals(exp.size(), got.size());
            for (int i = 0; i < exp.size(); i++) {
                assertEquals(exp.get(i).subjectId(), got.get(i).subjectId(), "rank " + i + " query " + q);
                assertEquals(exp.get(i).score(), got.get(i).score(), 1e-5f);
            }
        }
        g.rebuild("c1");
        float[] p = unit(r);
        List<Candidate> exp = brute(ref, p, 5);
        List<Candidate> got = g.search("c1", p, 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(exp.get(i).subjectId(), got.get(i).subjectId());
            assertEquals(exp.get(i).score(), got.get(i).score(), 1e-5f);
        }
        assertEquals(1, g.size("c2"));
    }

    /** Top-1 of the approximate path vs brute force over probes near stored templates. */
    private double recallAt1(Map<String, List<float[]>> ref, List<float[]> pool, Random r, int queries) {
        int hit = 0;
        for (int q = 0; q < queries; q++) {
            float[] probe = near(pool.get(r.nextInt(pool.size())), r, 0.02);
            List<Candidate> got = g.search("a", probe, 5);
            List<Candidate> exp = brute(ref, probe, 1);
            if (!got.isEmpty() && got.get(0).subjectId().equals(exp.get(0).subjectId())) {
                hit++;
                assertEquals(exp.get(0).score(), got.get(0).score(), 1e-5f);
            }
        }
        return hit / (double) queries;
    }

    /** Both approximate methods; sketch scores only 500 of the ~7 000 rows exactly, so it is really approximate. */
    @ParameterizedTest
    @ValueSource(strings = {"hnsw", "sketch"})
    void approximateIndexRecallAndUpdates(String method) {
        g.configureApproximateMethod(method, 500);
        g.configureApproximate(5_000, 128, 16, 64);
        Random r = new Random(5);
        Map<String, List<float[]>> ref = new HashMap<>();
        List<float[]> stored = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            float[] v = unit(r);
            g.add("a", "s" + i, v);
            ref.computeIfAbsent("s" + i, x -> new ArrayList<>()).add(v);
            stored.add(v);
        }
        assertTrue(!g.isApproximate("a"), "below the threshold the search stays exact");
        for (int i = 4_000; i < 7_000; i++) {     // crosses the threshold: index built, then incremental
            String id = "s" + (i % 6_000);        // 1 000 subjects with two templates
            float[] v = unit(r);
            g.add("a", id, v);
            ref.computeIfAbsent(id, x -> new ArrayList<>()).add(v);
            stored.add(v);
        }
        assertTrue(g.isApproximate("a"));
        assertTrue(g.stats("a").search().startsWith(method.equals("hnsw") ? "approximate (HNSW)" : "approximate (sign sketches)"),
                g.stats("a").search());
        double recall = recallAt1(ref, stored, r, 400);
        assertTrue(recall >= 0.99, "recall@1 " + recall);

        // removals: a few (marked deleted), then enough to trigger a rebuild (> 20 % deleted)
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < 1_800; i++) {
            String id = "s" + (i * 3);
            int removed = g.remove("a", id);
            List<float[]> had = ref.remove(id);
            assertEquals(had == null ? 0 : had.size(), removed);
            gone.add(id);
            if (i == 100) {
                for (int j = 0; j < 30; j++) {   // removed subjects are never returned, even before the rebuild
                    float[] probe = near(stored.get(3 * j), r, 0.02);
                    assertTrue(g.search("a", probe, 5).stream().noneMatch(c -> ref.get(c.subjectId()) == null));
                }
            }
        }
        assertEquals(ref.values().stream().mapToInt(List::size).sum(), g.size("a"));
        if (method.equals("sketch")) {
            // HNSW keeps its graph down to half the threshold; sketches apply strictly above it
            assertTrue(g.size("a") < 5_000 && !g.isApproximate("a"));
            g.configureApproximate(4_000, 128, 16, 64);
        }
        assertTrue(g.isApproximate("a"));
        for (int j = 0; j < 200; j++) {
            float[] probe = near(stored.get(r.nextInt(stored.size())), r, 0.02);
            assertTrue(g.search("a", probe, 5).stream().noneMatch(c -> ref.get(c.subjectId()) == null));
        }
        List<float[]> remaining = new ArrayList<>();
        ref.values().forEach(remaining::addAll);
        recall = recallAt1(ref, remaining, r, 300);
        assertTrue(recall >= 0.99, "recall@1 after removals " + recall);

        // new templates are found through the index
        for (int i = 0; i < 50; i++) {
            float[] v = unit(r);
            g.add("a", "new" + i, v);
            ref.computeIfAbsent("new" + i, x -> new ArrayList<>()).add(v);
            assertEquals("new" + i, g.search("a", near(v, r, 0.02), 1).get(0).subjectId());
        }
        // exact and approximate agree on top-1 for near probes; threshold 0 switches the index off
        g.configureApproximate(0, 128, 16, 100);
        assertTrue(!g.isApproximate("a"));
        float[] v = ref.get("new7").get(0);
        assertEquals("new7", g.search("a", v, 1).get(0).subjectId());
    }

    @Test
    void backgroundIndexBuildKeepsSearchingExactly() throws Exception {
        QuantizedGallery bg = new QuantizedGallery(512, 64, null);
        try {
            bg.configureApproximateMethod("hnsw", 500);
            bg.setBackgroundIndexBuild(1_000);
            bg.configureApproximate(1_500, 128, 16, 64);
            Random r = new Random(9);
            List<float[]> stored = new ArrayList<>();
            for (int i = 0; i < 6_000; i++) {      // the build starts at 1 501 while adds go on
                float[] v = unit(r);
                bg.add("b", "s" + i, v);
                stored.add(v);
            }
            for (int j = 0; j < 20; j++) {          // answered meanwhile (exact or, once ready, the index)
                int i = r.nextInt(stored.size());
                assertEquals("s" + i, bg.search("b", near(stored.get(i), r, 0.02), 1).get(0).subjectId());
            }
            assertEquals(1, bg.remove("b", "s5"));  // a removal during the build forces a fresh snapshot
            long until = System.nanoTime() + 120_000_000_000L;
            while ((bg.isIndexBuilding("b") || !bg.isApproximate("b")) && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(bg.isApproximate("b"), "index swapped in");
            int hit = 0;
            for (int j = 0; j < 300; j++) {
                int i = r.nextInt(stored.size());
                if (i == 5) {
                    continue;
                }
                if (("s" + i).equals(bg.search("b", near(stored.get(i), r, 0.02), 1).get(0).subjectId())) {
                    hit++;
                }
            }
            assertTrue(hit >= 294, "recall through the background-built index " + hit);
            assertTrue(bg.search("b", stored.get(5), 3).stream().noneMatch(c -> c.subjectId().equals("s5")));
            float[] v = unit(r);                     // incremental add after the swap
            bg.add("b", "late", v);
            assertEquals("late", bg.search("b", near(v, r, 0.02), 1).get(0).subjectId());
        } finally {
            bg.close();
        }
    }

    @Test
    void verifyAndCommunitiesAreSeparate() {
        Random r = new Random(2);
        float[] a = unit(r);
        g.add("north", "alice", a);
        g.add("south", "bob", unit(r));
        assertEquals(1.0f, g.verify("north", "alice", a), 1e-5f);
        assertTrue(Float.isNaN(g.verify("south", "alice", a)));
        assertEquals("alice", g.search("north", a, 3).get(0).subjectId());
        assertTrue(g.search("south", a, 3).stream().noneMatch(c -> c.subjectId().equals("alice")));
        assertEquals(1, g.remove("north", "alice"));
        assertTrue(g.search("north", a, 3).isEmpty());
        assertEquals(java.util.Set.of("north", "south"), g.communities());
    }

    @Test
    void rejectsBadTemplates() {
        assertEquals(FaceException.Code.DIMENSION_MISMATCH,
                assertThrows(FaceException.class, () -> g.add("c", "x", new float[10])).code());
        assertEquals(FaceException.Code.INVALID_ARGUMENT,
                assertThrows(FaceException.class, () -> g.add("c", "x", new float[DIM])).code());
        float[] nan = new float[DIM];
        nan[0] = Float.NaN;
        assertEquals(FaceException.Code.INVALID_ARGUMENT,
                assertThrows(FaceException.class, () -> g.search("c", nan, 1)).code());
    }

    @Test
    void concurrentAddSearchRemove() throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int tt = t;
                fs.add(ex.submit(() -> {
                    Random r = new Random(tt);
                    for (int i = 0; i < 2000; i++) {
                        float[] v = unit(r);
                        String id = "t" + tt + "-" + i;
                        g.add("c", id, v);
                        List<Candidate> hit = g.search("c", v, 1);
                        assertEquals(id, hit.get(0).subjectId());
                        if (i % 3 == 0) {
                            assertEquals(1, g.remove("c", id));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            ex.shutdown();
        }
        assertEquals(4 * (2000 - 667), g.size("c"));
    }

    /**
     * Sign sketches at a realistic genuine similarity (cosine ~0.66 to the enrolled template, like a
     * resident at the gate) on 30 000 random templates, 600 rows scored exactly: the top-1 equals the
     * exact search; switching methods keeps the templates; a bad method name is refused.
     */
    @Test
    void sketchSearchFindsGenuineProbesAndSwitchesMethod() {
        QuantizedGallery sg = new QuantizedGallery(DIM, 64, null);
        try {
            sg.configureApproximateMethod("sketch", 600);
            sg.configureApproximate(10_000, 128, 16, 64);
            Random r = new Random(21);
            List<float[]> stored = new ArrayList<>();
            for (int i = 0; i < 30_000; i++) {
                float[] v = unit(r);
                sg.add("c", "s" + i, v);
                stored.add(v);
            }
            assertTrue(sg.isApproximate("c"));
            int hit = 0;
            double cos = 0;
            for (int j = 0; j < 300; j++) {
                int i = r.nextInt(stored.size());
                float[] probe = near(stored.get(i), r, 0.05);
                cos += TestVectors.cosine(probe, stored.get(i)) / 300;
                List<Candidate> a = sg.search("c", probe, 3);
                List<Candidate> e = sg.searchExact("c", probe, 3);
                assertEquals("s" + i, e.get(0).subjectId());
                if (a.get(0).subjectId().equals(e.get(0).subjectId())) {
                    hit++;
                    assertEquals(e.get(0).score(), a.get(0).score(), 1e-6f);
                }
            }
            assertTrue(cos > 0.6 && cos < 0.72, "probe similarity " + cos);
            assertTrue(hit >= 297, "recall@1 " + hit + "/300");
            // switching methods keeps the templates (a small community: the HNSW graph is built synchronously)
            sg.configureApproximate(100, 128, 16, 64);
            for (int i = 0; i < 300; i++) {
                sg.add("small", "t" + i, stored.get(i));
            }
            sg.configureApproximateMethod("HNSW", 600);   // case-insensitive
            assertTrue(sg.stats("small").search().startsWith("approximate (HNSW)"), sg.stats("small").search());
            assertEquals("t42", sg.search("small", stored.get(42), 1).get(0).subjectId());
            sg.configureApproximateMethod("sketch", 600);
            assertTrue(sg.stats("small").search().startsWith("approximate (sign sketches)"), sg.stats("small").search());
            assertEquals("t42", sg.search("small", stored.get(42), 1).get(0).subjectId());
            assertEquals(30_000, sg.size("c"));
            assertEquals(300, sg.size("small"));
            assertThrows(IllegalArgumentException.class, () -> sg.configureApproximateMethod("lsh", 600));
            assertThrows(IllegalArgumentException.class, () -> sg.configureApproximateMethod("sketch", 0));
        } finally {
            sg.close();
        }
    }
}
