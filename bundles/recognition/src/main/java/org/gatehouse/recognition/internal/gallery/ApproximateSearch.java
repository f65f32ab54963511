package org.gatehouse.recognition.internal.gallery;

/**
 * An approximate search of one community ({@link SketchSearch}, {@link HnswSearch}), kept in step with
 * the community's rows by {@link Community}: every call is made under the community's lock (the write
 * lock for changes, at least the read lock for searches). The community picks the one that answers and
 * scores its candidates exactly.
 */
interface ApproximateSearch {

    /** Whether this search answers a search of the community now. */
    boolean answers();

    /**
     * Candidate rows for the probe ({@code p} unit float, {@code pq} its int8 copy); {@code m} is how many
     * the community re-ranks at least.
     */
    int[] candidates(float[] p, int[] pq, int m);

    /**
     * True: the community keeps the {@code m} best candidates by int8 score before the float re-rank;
     * false: every candidate is re-ranked with the float vectors.
     */
    boolean narrowsByInt8();

    /** Row {@code row} was appended: {@code v} its unit vector, {@code qv[off..]} its int8 vector. */
    void added(int row, float[] v, byte[] qv, int off);

    /** Row {@code row} is being removed and the last row {@code last} moves into it (before the rows move). */
    void removed(int row, int last);

    /** The community's row arrays now hold {@code cap} rows. */
    void capacity(int cap);

    /** Heap bytes of this search's own structures. */
    long bytes();

    /** How a community answered by this search reports itself in its stats. */
    String label();
}
