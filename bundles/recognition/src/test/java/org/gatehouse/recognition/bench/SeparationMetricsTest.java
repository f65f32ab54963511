package org.gatehouse.recognition.bench;

import org.gatehouse.recognition.bench.SeparationMetrics.Fusion;
import org.gatehouse.recognition.bench.SeparationMetrics.Point;
import org.gatehouse.recognition.bench.SeparationMetrics.Ranked;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The separation benchmark's arithmetic on hand-made scores (no engine, no data). */
class SeparationMetricsTest {

    // 5 templates of 3 subjects: subject 0 has two (0.6, 0.2), subject 1 one (0.5), subject 2 two (0.1, 0.3)
    static final float[] SCORES = {0.6f, 0.5f, 0.2f, 0.1f, 0.3f};
    static final int[] SUBJECT = {0, 1, 0, 2, 2};

    @Test
    void fusionByMaxAndMean() {
        Ranked max = SeparationMetrics.rank(SCORES, SUBJECT, 3, Fusion.MAX);
        assertEquals(0, max.best());
        assertEquals(0.6f, max.bestScore());
        assertEquals(0.5f, max.second());
        Ranked mean = SeparationMetrics.rank(SCORES, SUBJECT, 3, Fusion.MEAN);
        assertEquals(1, mean.best()); // subject 0 averages 0.4, below subject 1's 0.5
        assertEquals(0.5f, mean.bestScore());
        assertEquals(0.4f, mean.second(), 1e-6);
        assertEquals(0.2f, mean.subjectScores()[2], 1e-6);
    }

    @Test
    void marginRejectsCloseSeconds() {
        Ranked r = SeparationMetrics.rank(SCORES, SUBJECT, 3, Fusion.MAX);
        assertEquals(0.6f, SeparationMetrics.withMargin(r, 0.05));
        assertEquals(Float.NEGATIVE_INFINITY, SeparationMetrics.withMargin(r, 0.15));
    }

    @Test
    void cohortOfTheOtherSubjects() {
        Ranked r = SeparationMetrics.rank(SCORES, SUBJECT, 3, Fusion.MAX); // others: 0.5, 0.3
        double[] top1 = SeparationMetrics.cohort(r, 1);
        assertEquals(0.5, top1[0], 1e-6);
        assertEquals(0.0, top1[1], 1e-6);
        double[] all = SeparationMetrics.cohort(r, 10); // k above the count: all of them
        assertEquals(0.4, all[0], 1e-6);
        assertEquals(0.1, all[1], 1e-6);
        assertEquals(2.0, SeparationMetrics.zNorm(r, 10), 1e-4); // (0.6 - 0.4) / 0.1
        assertEquals(0.4, SeparationMetrics.cohortShift(r, 10, 0.5), 1e-6); // 0.6 - 0.5 x 0.4
        assertEquals(0.55, SeparationMetrics.qualityPenalty(0.6f, true, 0.05), 1e-6);
        assertEquals(0.6, SeparationMetrics.qualityPenalty(0.6f, false, 0.05), 1e-6);
    }

    @Test
    void framesAgreeOrFuse() {
        OpenSetMetrics.Mated m = SeparationMetrics.agree(3, 0.7f, 3, 0.5f, true);
        assertTrue(m.rank1());
        assertEquals(0.5f, m.best());
        assertEquals(Float.NEGATIVE_INFINITY, SeparationMetrics.agree(3, 0.7f, 4, 0.5f, false).best());
        assertEquals(0.5f, SeparationMetrics.agree(1, 0.5f, 1, 0.9f));
        assertEquals(Float.NEGATIVE_INFINITY, SeparationMetrics.agree(1, 0.5f, 2, 0.9f));
        Ranked a = SeparationMetrics.rank(new float[] {0.6f, 0.1f}, new int[] {0, 1}, 2, Fusion.MAX);
        Ranked b = SeparationMetrics.rank(new float[] {0.2f, 0.5f}, new int[] {0, 1}, 2, Fusion.MAX);
        Ranked f = SeparationMetrics.meanOfFrames(a, b);
        assertEquals(0, f.best());
        assertEquals(0.4f, f.bestScore(), 1e-6);
        assertEquals(0.3f, f.second(), 1e-6);
        float[] unit = SeparationMetrics.meanTemplate(List.of(new float[] {1, 0}, new float[] {0, 1}));
        assertEquals(Math.sqrt(0.5), unit[0], 1e-6);
        assertEquals(Math.sqrt(0.5), unit[1], 1e-6);
    }

    @Test
    void operatingPoints() {
        // 200 strangers 0.0025 .. 0.5; 100 mated: 96 hits 0.400 .. 0.875, 2 wrong subjects, 1 margin-rejected, 1 refused
        float[] strangers = new float[200];
        for (int i = 0; i < strangers.length; i++) {
            strangers[i] = (i + 1) / 400f; // highest 0.5, then 0.4975, 0.495, ...
        }
        // FPIR 0.5 % of 200: 1 may pass => just above the 2nd highest (0.4975); 1 %: 2 may pass => above 0.495
        assertEquals(Math.nextUp(0.4975f), SeparationMetrics.thresholdForFpir(strangers, 0.005));
        assertEquals(Math.nextUp(0.495f), SeparationMetrics.thresholdForFpir(strangers, 0.01));
        float[] rejected = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.7f};
        assertEquals(-Float.MAX_VALUE, SeparationMetrics.thresholdForFpir(rejected, 0.34)); // 1 may pass: all finite do
        List<OpenSetMetrics.Mated> mated = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            mated.add(new OpenSetMetrics.Mated(false, true, (160 + 2 * i) / 400f)); // 0.400 .. 0.875
        }
        mated.add(new OpenSetMetrics.Mated(false, false, 0.9f));
        mated.add(new OpenSetMetrics.Mated(false, false, 0.3f));
        mated.add(new OpenSetMetrics.Mated(false, true, Float.NEGATIVE_INFINITY));
        mated.add(OpenSetMetrics.Mated.refusedPhoto());
        // FNIR 3 % of 100: 97 hits needed, only 96 finite hits => unreachable
        assertTrue(Double.isNaN(SeparationMetrics.thresholdForFnir(mated, 0.03)));
        // FNIR 5 %: 95 hits needed => the 95th highest hit, 0.405
        assertEquals(0.405f, SeparationMetrics.thresholdForFnir(mated, 0.05));
        Point p = SeparationMetrics.evaluate(mated, strangers);
        assertEquals(0.97, p.rank1(), 1e-9); // the margin-rejected search is rank-1 right; wrong x2 and refused are not
        assertEquals(0.24, p.fnir05(), 1e-9); // FPIR 0.5 % needs t > 0.4975: hits 0.500 .. 0.875 pass, 76 of 100
        assertEquals(0.24, p.fnir1(), 1e-9); // t > 0.495: the same 76

        assertTrue(Double.isNaN(p.fpirAtFnir3()));
        List<OpenSetMetrics.Mated> easy = mated.subList(0, 96);
        Point q = SeparationMetrics.evaluate(easy, strangers);
        // FNIR 3 % of 96: 94 hits (ceil 93.12) => 94th highest = 0.41; strangers >= 0.41: 0.41 .. 0.5 = 37
        assertEquals(0.41f, q.tFnir3(), 1e-6);
        assertEquals(37 / 200.0, q.fpirAtFnir3(), 1e-9);
    }
}
