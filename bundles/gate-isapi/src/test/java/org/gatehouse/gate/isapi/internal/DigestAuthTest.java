package org.gatehouse.gate.isapi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DigestAuthTest {
    @Test
    void answersTheRfc2617Example() {
        DigestAuth.Challenge c = DigestAuth.parseChallenge("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
        String header = c.authorization("Mufasa", "Circle Of Life", "GET", "/dir/index.html", 1, "0a4f113b");
        assertTrue(header.contains("response=\"6629fae49393a05397450978507c4ef1\""), header);
        assertTrue(header.contains("nc=00000001") && header.contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""));
    }

    @Test
    void refusesWhatItCannotAnswer() {
        assertThrows(IllegalArgumentException.class, () -> DigestAuth.parseChallenge("Basic realm=\"x\""));
        assertThrows(IllegalArgumentException.class, () -> DigestAuth.parseChallenge("Digest realm=\"x\""));
        assertThrows(IllegalArgumentException.class,
                () -> DigestAuth.parseChallenge("Digest realm=\"x\", nonce=\"n\", algorithm=SHA-256"));
        assertEquals("auth", DigestAuth.parseChallenge("Digest realm=\"x\", nonce=\"n\", qop=\"auth\"").qop());
    }
}
