package org.gatehouse.visitor.internal;

/**
 * The visitor module's secret key: the keyed hashes stored for pass codes and visitors' ID card numbers, so neither
 * is ever stored in clear. The key file is checked against the database when the component starts: a missing file
 * or another key stops it (and with it {@link Visits}, {@link Passes} and the REST resource).
 */
public interface VisitorKey {
    /** The keyed hash stored for a pass code: HMAC-SHA256 over the community and the 6 digits. */
    String passCodeHash(String communityId, String code);

    /** The keyed hash stored for an ID card number, normalised first (no white space, upper case). */
    String idCardHash(String idCard);
}
