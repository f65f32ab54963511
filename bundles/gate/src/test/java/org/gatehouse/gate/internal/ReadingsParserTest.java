package org.gatehouse.gate.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.gatehouse.core.api.Refusal;
import org.gatehouse.gate.api.Readings;
import org.junit.jupiter.api.Test;

class ReadingsParserTest {
    @Test
    void readsNumbersBooleansAndBase64() {
        Readings r = ReadingsParser.parse("{\"temperatureCelsius\":36.6,\"maskOn\":true,\"idCardPhoto\":\"AQID\","
                + "\"vendorField\":1}");
        assertEquals(36.6, r.temperatureCelsius());
        assertEquals(Boolean.TRUE, r.maskOn());
        assertArrayEquals(new byte[] {1, 2, 3}, r.idCardPhoto());
        assertSame(Readings.NONE, ReadingsParser.parse(""));
        assertSame(Readings.NONE, ReadingsParser.parse((String) null));
    }

    @Test
    void refusesWhatIsNotAReading() {
        for (String bad : new String[] {"{", "[]", "\"36.6\"", "{\"temperatureCelsius\":\"36.6\"}",
                "{\"temperatureCelsius\":true}", "{\"maskOn\":\"yes\"}", "{\"idCardPhoto\":12}",
                "{\"idCardPhoto\":\"***\"}"}) {
            Refusal e = assertThrows(Refusal.class, () -> ReadingsParser.parse(bad), bad);
            assertEquals(400, e.status(), bad);
            assertEquals("READINGS_MALFORMED", e.code(), bad);
        }
    }

    @Test
    void refusesATemperatureNoPersonHas() {
        for (String bad : new String[] {"80", "-5", "29.9", "45.1", "1e308"}) {
            Refusal e = assertThrows(Refusal.class,
                    () -> ReadingsParser.parse("{\"temperatureCelsius\":" + bad + "}"), bad);
            assertEquals(422, e.status());
            assertEquals("READING_OUT_OF_RANGE", e.code());
        }
        assertEquals(38.9, ReadingsParser.parse("{\"temperatureCelsius\":38.9}").temperatureCelsius());
    }
}
