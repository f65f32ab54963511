package org.gatehouse.whitelist.internal.imports;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.gatehouse.api.service.ImportJobRepository;
import org.gatehouse.core.api.Refusal;

/**
 * The data rows of an import's CSV as the store keeps them until the job ends: each row's fields by column (the
 * header's columns, case-insensitive, in any order), numbered as spreadsheet rows (the header is row 1).
 */
final class CsvRows {
    private CsvRows() {
    }

    /** The CSV's data rows (a {@link Refusal} for a CSV that is too large, empty, lacks a column or has a huge row). */
    static List<ImportJobRepository.NewRow> rows(byte[] csv, int maxCsvBytes) {
        if (csv.length > maxCsvBytes) {
            throw MESSAGES.refusal(413, "CSV_TOO_LARGE", "import.csvTooLarge", maxCsvBytes / (1024 * 1024));
        }
        List<List<String>> records = Csv.parse(new String(csv, StandardCharsets.UTF_8));
        if (records.isEmpty()) {
            throw MESSAGES.refusal(400, "CSV_EMPTY", "import.csvEmpty");
        }
        List<String> header = records.get(0).stream().map(String::trim).toList();
        for (String column : ImportService.COLUMNS) {
            if (header.stream().noneMatch(h -> h.equalsIgnoreCase(column))) {
                throw MESSAGES.refusal(400, "CSV_HEADER", "import.missingColumn", column,
                        String.join(",", ImportService.COLUMNS));
            }
        }
        List<ImportJobRepository.NewRow> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> rec = records.get(i);
            if (rec.stream().allMatch(String::isBlank)) {
                continue;
            }
            Map<String, String> row = new HashMap<>();
            int length = 0;
            for (int col = 0; col < header.size(); col++) {
                String key = canonical(header.get(col));
                String value = col < rec.size() ? rec.get(col).trim() : "";
                row.put(key, value);
                length += key.length() + value.length() + 8;
            }
            int number = i + 1; // spreadsheet row: the header is row 1
            if (length > ImportJobRepository.MAX_FIELDS_CHARS / 2) { // JSON escapes may double it
                throw MESSAGES.refusal(400, "CSV_ROW_TOO_LONG", "import.rowTooLong", number,
                        ImportJobRepository.MAX_FIELDS_CHARS / 2);
            }
            rows.add(new ImportJobRepository.NewRow(number, row));
        }
        return rows;
    }

    private static String canonical(String header) {
        for (String c : ImportService.COLUMNS) {
            if (c.equalsIgnoreCase(header)) {
                return c;
            }
        }
        for (String optional : List.of(ImportService.FACE_CONSENT, ImportService.PHOTO2)) {
            if (optional.equalsIgnoreCase(header)) {
                return optional;
            }
        }
        return header;
    }
}
