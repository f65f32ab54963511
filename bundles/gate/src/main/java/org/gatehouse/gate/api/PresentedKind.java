package org.gatehouse.gate.api;

/** What a terminal read when no face (or a face plus a second factor) is used. */
public enum PresentedKind {
    /** An IC card number. */
    CARD,
    /** An ID card (身份证) number. */
    ID_CARD,
    /** A PIN typed at the terminal. */
    PIN,
    /** The 6-digit code of a resident's app (TOTP); needs the resident's id (from the QR). */
    APP_CODE,
    /** A visitor's temporary pass code or QR payload ({@code GH1:<passId>:<code>}). */
    PASS_CODE
}
