package org.gatehouse.portal.internal;

import org.gatehouse.portal.api.Texts;

/** The portal's own texts (login, menu frame, dashboard): {@code messages*.properties} in this package. */
final class PortalTexts {
    static final Texts T = Texts.of(PortalTexts.class, "org.gatehouse.portal.internal.messages");

    private PortalTexts() {
    }
}
