package org.gatehouse.recognition.api;

/**
 * Size of one community gallery.
 *
 * @param communityId community
 * @param subjects distinct subjects
 * @param templates stored templates (a subject may have several)
 * @param dimension template dimension
 * @param memoryBytes approximate heap used by the vectors
 */
public record GalleryStats(String communityId, int subjects, int templates, int dimension, long memoryBytes) {
}
