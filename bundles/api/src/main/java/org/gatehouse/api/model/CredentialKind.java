package org.gatehouse.api.model;

/** Ways through a gate. Every resident always has at least one that is not {@link #FACE}. */
public enum CredentialKind {
    FACE, ID_CARD, APP_TOKEN, CARD, PIN;

    public boolean isFace() {
        return this == FACE;
    }
}
