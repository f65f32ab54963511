package org.gatehouse.recognition.internal.gallery;

/**
 * Approximate search by 256-bit sign sketches ({@link SignSketches}, 32 B a row, kept for every row so
 * that switching the method needs no build): the whole sketch array is scanned by Hamming distance and
 * the {@code sketchCandidates} nearest rows are scored exactly (int8, then the best by float).
 */
final class SketchSearch implements ApproximateSearch {

    private final QuantizedGallery gallery;
    private final Community community;
    private final SignSketches sketches;

    SketchSearch(QuantizedGallery gallery, Community community, int capacity) {
        this.gallery = gallery;
        this.community = community;
        this.sketches = new SignSketches(gallery.dimension(), capacity);
    }

    /** Method sketch and more rows than the threshold. */
    @Override
    public boolean answers() {
        int t = gallery.approximateThreshold();
        return gallery.method() == QuantizedGallery.ApproximateMethod.SKETCH && t > 0 && community.count() > t;
    }

    @Override
    public int[] candidates(float[] p, int[] pq, int m) {
        int n = community.count();
        // rows nearest in Hamming distance of the sign sketches
        return sketches.nearest(sketches.sketch(pq), n, Math.max(gallery.sketchCandidates(), m), gallery.splitPool(n));
    }

    @Override
    public boolean narrowsByInt8() {
        return true;
    }

    @Override
    public void added(int row, float[] v, byte[] qv, int off) {
        sketches.set(row, qv, off);
    }

    @Override
    public void removed(int row, int last) {
        if (row != last) {
            sketches.move(last, row);
        }
    }

    @Override
    public void capacity(int cap) {
        sketches.ensureCapacity(cap); // grows only: a compacted community keeps its sketch capacity
    }

    @Override
    public long bytes() {
        return sketches.bytes();
    }

    @Override
    public String label() {
        return "approximate (sign sketches), ";
    }
}
