package org.gatehouse.core.shell;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for shell output: columns padded by display width, so that Chinese names (two
 * terminal cells per character) line up with Latin text, and no colour or control codes, so the output
 * reads the same in a terminal, a pipe or a file.
 */
public final class TextTable {
    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    /** Adds a left-aligned column. */
    public TextTable column(String header) {
        headers.add(header);
        rightAligned.add(false);
        return this;
    }

    /** Adds a right-aligned column (numbers). */
    public TextTable numberColumn(String header) {
        headers.add(header);
        rightAligned.add(true);
        return this;
    }

    /** Adds a row; {@code null} cells print empty, missing trailing cells too. */
    public TextTable row(Object... cells) {
        if (cells.length > headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        String[] row = new String[headers.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]).replace('\n', ' ') : "";
        }
        rows.add(row);
        return this;
    }

    public int size() {
        return rows.size();
    }

    public void print(PrintStream out) {
        out.print(render());
        out.flush();
    }

    /** The table as text, one line per row after a header and a rule. */
    public String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = width(headers.get(i));
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], width(row[i]));
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers.toArray(new String[0]), widths);
        for (int i = 0; i < widths.length; i++) {
            if (i > 0) {
                sb.append("-+-");
            }
            sb.append("-".repeat(widths[i]));
        }
        sb.append('\n');
        for (String[] row : rows) {
            line(sb, row, widths);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(" | ");
            }
            String pad = " ".repeat(widths[i] - width(cells[i]));
            line.append(rightAligned.get(i) ? pad + cells[i] : cells[i] + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    /**
     * Terminal cells {@code text} takes: two for East Asian wide and full-width characters (Chinese,
     * Japanese, Korean, full-width forms), none for combining marks and control characters, one otherwise.
     */
    public static int width(String text) {
        int width = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            width += cellsOf(cp);
        }
        return width;
    }

    static int cellsOf(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || type == Character.CONTROL || cp == 0x200B) {
            return 0;
        }
        return isWide(cp) ? 2 : 1;
    }

    private static boolean isWide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F)       // Hangul Jamo initials
                || (cp >= 0x2E80 && cp <= 0x303E)   // CJK radicals, Kangxi, ideographic description, CJK symbols
                || (cp >= 0x3041 && cp <= 0x33FF)   // Hiragana .. CJK compatibility
                || (cp >= 0x3400 && cp <= 0x4DBF)   // CJK extension A
                || (cp >= 0x4E00 && cp <= 0x9FFF)   // CJK unified ideographs
                || (cp >= 0xA000 && cp <= 0xA4CF)   // Yi
                || (cp >= 0xAC00 && cp <= 0xD7A3)   // Hangul syllables
                || (cp >= 0xF900 && cp <= 0xFAFF)   // CJK compatibility ideographs
                || (cp >= 0xFE30 && cp <= 0xFE4F)   // CJK compatibility forms
                || (cp >= 0xFF00 && cp <= 0xFF60)   // full-width forms
                || (cp >= 0xFFE0 && cp <= 0xFFE6)   // full-width signs
                || (cp >= 0x1F300 && cp <= 0x1F64F) // pictographs, emoticons
                || (cp >= 0x1F900 && cp <= 0x1F9FF)
                || (cp >= 0x20000 && cp <= 0x3FFFD); // CJK extensions B..
    }
}
