package dev.borges.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An aligned text table for people: a header in capitals, columns two spaces apart, numbers
 * right-aligned, an optional totals line under a rule.
 *
 * <pre>
 * PARTITION  LEADER  START  END    SIZE
 *         0       1      0  1,204  96.4 KiB
 *         1       1      0    998  80.0 KiB
 * ─────────────────────────────────────────
 * total                     2,202  176 KiB
 * </pre>
 *
 * Built by one thread, then rendered once; not thread-safe.
 */
public final class Table {
    /** Which side of its column a cell sticks to. */
    public enum Align { LEFT, RIGHT }

    private final String[] headers;
    private final Align[] aligns;
    private final List<String[]> rows = new ArrayList<>();
    private String[] totals;

    private Table(String[] headers, Align[] aligns) {
        this.headers = headers;
        this.aligns = aligns;
    }

    /**
     * A table with these columns; a header ending in {@code ">"} is right-aligned (the mark is
     * dropped): {@code Table.of("TOPIC", "PARTITIONS>")}.
     */
    public static Table of(String... columns) {
        String[] headers = new String[columns.length];
        Align[] aligns = new Align[columns.length];
        for (int i = 0; i < columns.length; i++) {
            boolean right = columns[i].endsWith(">");
            headers[i] = right ? columns[i].substring(0, columns[i].length() - 1) : columns[i];
            aligns[i] = right ? Align.RIGHT : Align.LEFT;
        }
        return new Table(headers, aligns);
    }

    /** Adds a row; values are printed with {@link String#valueOf}, {@code null} as "-". */
    public Table row(Object... values) {
        rows.add(cells(values));
        return this;
    }

    /** The totals line, printed last under a rule. */
    public Table totals(Object... values) {
        totals = cells(values);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public int size() {
        return rows.size();
    }

    public void print(Terminal terminal) {
        print(terminal.out(), terminal.colour());
    }

    public void print(PrintStream out, boolean bold) {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
        }
        List<String[]> all = new ArrayList<>(rows);
        if (totals != null) {
            all.add(totals);
        }
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        String header = line(headers, widths);
        out.println(bold ? "\u001b[1m" + header + "\u001b[0m" : header);
        for (String[] row : rows) {
            out.println(line(row, widths));
        }
        if (totals != null) {
            out.println("-".repeat(header.length()));
            out.println(line(totals, widths));
        }
    }

    private String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            boolean last = i == cells.length - 1;
            String cell = cells[i];
            int pad = widths[i] - cell.length();
            if (i > 0) {
                line.append("  ");
            }
            if (aligns[i] == Align.RIGHT) {
                line.append(" ".repeat(pad)).append(cell);
            } else {
                line.append(cell);
                if (!last) {
                    line.append(" ".repeat(pad));
                }
            }
        }
        return line.toString().stripTrailing();
    }

    private String[] cells(Object... values) {
        if (values.length != headers.length) {
            throw new IllegalArgumentException("Expected " + headers.length + " cells, got " + Arrays.toString(values));
        }
        String[] cells = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            cells[i] = values[i] == null ? "-" : String.valueOf(values[i]);
        }
        return cells;
    }
}
