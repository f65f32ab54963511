package org.gatehouse.recognition.api;

/**
 * How a 1:N search of one community's gallery is read, derived from the gallery's size, a target false-positive
 * identification rate (FPIR: a stranger accepted as somebody) and the model's calibration (its impostor and genuine
 * score distributions, measured offline).
 * <ul>
 *   <li>best score ≥ {@link #accept}: {@link Band#ACCEPT} — the best candidate is the person;</li>
 *   <li>{@link #reject} ≤ best score &lt; {@link #accept}: {@link Band#VERIFY} — ask for a second factor (card, QR,
 *       PIN) and check the face 1:1 against that person at {@link #verify};</li>
 *   <li>below {@link #reject}: {@link Band#REJECT} — nobody enrolled (no second factor would pass the 1:1 check).</li>
 * </ul>
 *
 * @param communityId   the gallery
 * @param gallerySize   templates searched (each one a chance for a stranger to match)
 * @param targetFpir    the configured target FPIR at {@link #accept}
 * @param accept        1:N accept threshold for this gallery size
 * @param verify        1:1 threshold (after a second factor)
 * @param reject        below it: reject without asking for a second factor ({@code == verify})
 * @param expectedFpir  FPIR expected at {@link #accept} for this gallery size (from the calibration)
 * @param expectedFnir  share of enrolled people expected below {@link #accept} (genuine score below it; a lower
 *                      bound: a wrong best candidate above it is not counted)
 * @param verifyFmr     false-match rate of one 1:1 check at {@link #verify}
 * @param extrapolated  whether {@link #accept} lies beyond the measured impostor tail (fitted, not measured)
 * @param calibration   where the numbers come from (model, data set)
 */
public record OperatingBands(String communityId, int gallerySize, double targetFpir, float accept, float verify,
                             float reject, double expectedFpir, double expectedFnir, double verifyFmr,
                             boolean extrapolated, String calibration) {
    /** Which band a best 1:N score falls in. */
    public Band band(float bestScore) {
        if (Float.isNaN(bestScore) || bestScore < reject) {
            return Band.REJECT;
        }
        return bestScore >= accept ? Band.ACCEPT : Band.VERIFY;
    }

    /** What a gate does with a face. */
    public enum Band {
        /** The best candidate is the person. */
        ACCEPT,
        /** Not sure: ask for a second factor, then check the face 1:1 against that person. */
        VERIFY,
        /** Nobody enrolled. */
        REJECT
    }
}
