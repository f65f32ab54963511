package org.gatehouse.privacy.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTextTest {
    @Test
    void writesPlainValuesIndented() {
        Map<String, Object> resident = new LinkedHashMap<>();
        resident.put("id", "r-1");
        resident.put("name", "王丽 \"Li\"\\");
        resident.put("birthDate", null);
        resident.put("careFlags", List.of("LIVES_ALONE"));
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("resident", resident);
        export.put("passages", new ArrayList<>());
        export.put("count", 3);
        export.put("ratio", 0.5);
        export.put("ok", true);
        export.put("empty", Map.of());
        assertEquals("""
                {
                  "resident": {
                    "id": "r-1",
                    "name": "王丽 \\"Li\\"\\\\",
                    "birthDate": null,
                    "careFlags": [
                      "LIVES_ALONE"
                    ]
                  },
                  "passages": [],
                  "count": 3,
                  "ratio": 0.5,
                  "ok": true,
                  "empty": {}
                }
                """, JsonText.write(export));
    }

    @Test
    void escapesControlCharacters() {
        assertEquals("[\n  \"a\\nb\\tc\\u0001\",\n  null\n]\n", JsonText.write(Arrays.asList("a\nb\tc\u0001", null)));
        assertEquals("null\n", JsonText.write(Double.NaN));
    }
}
