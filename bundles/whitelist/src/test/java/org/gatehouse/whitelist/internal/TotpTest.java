package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class TotpTest {
    /** RFC 6238 appendix B, SHA1 key. */
    static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void rfc6238TestVectors() {
        long[] times = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};
        String[] codes = {"94287082", "07081804", "14050471", "89005924", "69279037", "65353130"};
        for (int i = 0; i < times.length; i++) {
            long step = Totp.step(Instant.ofEpochSecond(times[i]));
            assertEquals(codes[i], Totp.code(SEED, step, 8), "T=" + times[i]);
            assertEquals(codes[i].substring(2), Totp.code(SEED, Instant.ofEpochSecond(times[i])), "6 digits T=" + times[i]);
        }
    }

    @Test
    void verifyAllowsOneStepOfDriftOnly() {
        Instant t = Instant.ofEpochSecond(1111111111L);
        String code = Totp.code(SEED, t);
        assertTrue(Totp.verify(SEED, code, t.plusSeconds(30), 1));
        assertTrue(Totp.verify(SEED, code, t.minusSeconds(30), 1));
        assertFalse(Totp.verify(SEED, code, t.plusSeconds(90), 1));
        assertFalse(Totp.verify(SEED, "12345", t, 1));
        assertFalse(Totp.verify(new byte[0], code, t, 1));
    }

    @Test
    void base32AsRfc4648() {
        assertEquals("MZXW6YTBOI", Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(SEED));
    }
}
