package org.gatehouse.recognition.api;

/**
 * The operating bands of each community's gallery ({@link OperatingBands}): its accept threshold follows its size so
 * that the chance of accepting a stranger stays at the configured target as the gallery grows. Not published when the
 * model's calibration is missing or made for another model (never a silent fallback to a fixed threshold).
 */
public interface GalleryBands {
    /** The bands of the community's gallery at its current size. */
    OperatingBands bands(String communityId);

    /** The bands a gallery of {@code templates} templates would have (planning: what a city should expect). */
    OperatingBands bandsFor(String communityId, int templates);

    /** The model the calibration was measured for, and on which data. */
    String calibration();
}
