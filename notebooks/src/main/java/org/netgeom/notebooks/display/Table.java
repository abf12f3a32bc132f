package org.netgeom.notebooks.display;

import org.netgeom.ir.IrError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table of results, shown as HTML (notebook front ends and code hosts), Markdown and aligned
 * plain text. Cells are formatted by {@link Cells#text}: exact rationals stay exact.
 *
 * <pre>{@code
 * Table t = Display.table("x", "f(x) exact", "f(x) float64");
 * t.row(x, exact, approx);
 * t            // the cell's last expression: the notebook shows the table
 * }</pre>
 */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private String caption;

    private Table(List<String> headers) {
        if (headers.isEmpty()) {
            throw IrError.BAD_INPUT.error("a table needs at least one column");
        }
        this.headers = List.copyOf(headers);
    }

    /** A table with these column headers. */
    public static Table of(String... headers) {
        return new Table(Arrays.asList(headers));
    }

    /** A table with these column headers. */
    public static Table of(List<String> headers) {
        return new Table(headers);
    }

    /** Adds a row, one value per column. */
    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw IrError.BAD_INPUT.error("a row of this table has " + headers.size() + " cells (" + String.join(", ", headers)
                    + "), " + cells.length + " were given");
        }
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) {
            r.add(Cells.text(c));
        }
        rows.add(r);
        return this;
    }

    /** A caption shown above the table. */
    public Table caption(String text) {
        this.caption = text;
        return this;
    }

    /** The number of rows. */
    public int size() {
        return rows.size();
    }

    /** The text of one cell. */
    public String cell(int row, int column) {
        return rows.get(row).get(column);
    }

    /** The table as HTML. */
    public String reprHtml() {
        StringBuilder sb = new StringBuilder("<table>\n");
        if (caption != null) {
            sb.append("<caption>").append(Cells.html(caption)).append("</caption>\n");
        }
        sb.append("<thead><tr>");
        for (String h : headers) {
            sb.append("<th>").append(Cells.html(h)).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : rows) {
            sb.append("<tr>");
            for (String c : r) {
                sb.append("<td>").append(Cells.html(c)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody>\n</table>").toString();
    }

    /** The table as Markdown. */
    public String reprMarkdown() {
        StringBuilder sb = new StringBuilder();
        if (caption != null) {
            sb.append("**").append(Cells.markdown(caption)).append("**\n\n");
        }
        line(sb, headers);
        sb.append('|');
        for (int i = 0; i < headers.size(); i++) {
            sb.append(" --- |");
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r);
        }
        return sb.toString().stripTrailing();
    }

    private static void line(StringBuilder sb, List<String> cells) {
        sb.append('|');
        for (String c : cells) {
            sb.append(' ').append(Cells.markdown(c)).append(" |");
        }
        sb.append('\n');
    }

    /** The table as aligned plain text. */
    @Override
    public String toString() {
        int[] w = new int[headers.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = headers.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        if (caption != null) {
            sb.append(caption).append('\n');
        }
        plainLine(sb, headers, w);
        for (int i = 0; i < w.length; i++) {
            sb.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        sb.append('\n');
        for (List<String> r : rows) {
            plainLine(sb, r, w);
        }
        return sb.toString().stripTrailing();
    }

    private static void plainLine(StringBuilder sb, List<String> cells, int[] w) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            line.append(i == 0 ? "" : "  ").append(cells.get(i)).append(" ".repeat(w[i] - cells.get(i).length()));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    /** The rich form: HTML, Markdown and plain text. */
    public Rich rich() {
        return Rich.of(toString(), Rich.HTML, reprHtml(), Rich.MARKDOWN, reprMarkdown());
    }
}
