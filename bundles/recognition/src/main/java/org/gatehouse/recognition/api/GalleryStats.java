package org.gatehouse.recognition.api;

/**
 * Size of one community gallery.
 *
 * @param communityId community
 * @param subjects distinct subjects
 * @param templates stored templates (a subject may have several)
 * @param dimension template dimension
 * @param memoryBytes approximate heap used by the vectors
 * @param search how a search runs, for operators: {@code exact} or {@code approximate (HNSW)}, and the
 *               dot-product kernel, e.g. {@code exact, SIMD kernel (512-bit registers)} or {@code exact, scalar kernel}
 */
public record GalleryStats(String communityId, int subjects, int templates, int dimension, long memoryBytes, String search) {
}
