package org.netgeom.proofs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.List;
import java.util.Map;

/** Human and Markdown renderings of check results. */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final int MAX_JSON = 4000;

    /** A theorem with its result and its false variant's. */
    public record Entry(Theorem theorem, CheckResult holds, CheckResult falseVariant) {
    }

    private Report() {
    }

    /** A few lines for the terminal. */
    public static String human(Theorem t, CheckResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(t.id()).append(r.falseVariant() ? " (false variant)" : "").append(": ").append(r.verdict().json().toUpperCase())
                .append(" on ").append(r.instances()).append(r.instances() == 1 ? " instance" : " instances").append('\n');
        sb.append("  ").append(r.falseVariant() ? "false variant: " + t.falseVariant() : t.statement()).append('\n');
        sb.append("  ").append(t.citation()).append('\n');
        for (Map.Entry<String, Object> e : r.evidence().entrySet()) {
            sb.append("  ").append(e.getKey()).append(" = ").append(cell(e.getValue(), 300)).append('\n');
        }
        for (String n : r.notes()) {
            sb.append("  note: ").append(n).append('\n');
        }
        if (r.counterexample() != null) {
            sb.append("  counterexample: ").append(shortJson(r.counterexample(), 600)).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    /** The {@code check --all --report} document without figures. */
    public static String markdown(List<Entry> entries, long seed) {
        return markdown(entries, seed, null);
    }

    /**
     * The {@code check --all --report} document; {@code figureLink} gives the relative path of each
     * drawn figure of a result (null: no figures).
     */
    public static String markdown(List<Entry> entries, long seed, java.util.function.BiFunction<CheckResult, Figure, String> figureLink) {
        StringBuilder sb = new StringBuilder();
        sb.append("# netgeom theorem check report\n\n");
        sb.append("Each theorem was checked on seeded instances (seed ").append(seed)
                .append("), and so was its false variant, which the checker must find violated.\n\n");
        sb.append("| theorem | verdict | instances | false variant |\n| --- | --- | --- | --- |\n");
        for (Entry e : entries) {
            sb.append("| [`").append(e.theorem().id()).append("`](#").append(e.theorem().id()).append(") | **")
                    .append(e.holds().verdict().json()).append("** | ").append(e.holds().instances()).append(" | ")
                    .append(e.falseVariant().verdict().json()).append(e.falseVariant().verdict() == Verdict.VIOLATED ? " (caught)" : " (NOT caught)")
                    .append(" |\n");
        }
        for (Entry e : entries) {
            Theorem t = e.theorem();
            sb.append("\n<a id=\"").append(t.id()).append("\"></a>\n## ").append(t.title()).append(" (`").append(t.id()).append("`)\n\n");
            sb.append("*").append(t.citation()).append("*\n\n");
            sb.append(t.statement()).append("\n\n$$").append(t.latex()).append("$$\n\n");
            if (!t.params().isEmpty()) {
                sb.append("Parameters: ");
                for (int i = 0; i < t.params().size(); i++) {
                    Param p = t.params().get(i);
                    sb.append(i == 0 ? "" : ", ").append('`').append(p.name()).append(" = ").append(p.defaultValue()).append("` (")
                            .append(p.description()).append(')');
                }
                sb.append(".\n\n");
            }
            section(sb, "Theorem", e.holds(), figureLink);
            sb.append("\n**False variant:** ").append(t.falseVariant()).append("\n\n");
            section(sb, "False variant", e.falseVariant(), figureLink);
        }
        return sb.toString();
    }

    private static void section(StringBuilder sb, String what, CheckResult r,
                                java.util.function.BiFunction<CheckResult, Figure, String> figureLink) {
        sb.append("**").append(what).append(": ").append(r.verdict().json()).append("** on ").append(r.instances()).append(" instances.\n\n");
        List<Map.Entry<String, Object>> tables = new java.util.ArrayList<>();
        boolean header = false;
        for (Map.Entry<String, Object> ev : r.evidence().entrySet()) {
            if (isTable(ev.getValue())) {
                tables.add(ev);
                continue;
            }
            if (!header) {
                sb.append("| quantity | value |\n| --- | --- |\n");
                header = true;
            }
            sb.append("| ").append(ev.getKey()).append(" | `").append(cell(ev.getValue(), 200)).append("` |\n");
        }
        sb.append(header ? "\n" : "");
        for (Map.Entry<String, Object> t : tables) {
            table(sb, t.getKey(), (List<?>) t.getValue());
        }
        for (String n : r.notes()) {
            sb.append("- ").append(n).append('\n');
        }
        if (figureLink != null) {
            for (Figure f : r.figures()) {
                String link = figureLink.apply(r, f);
                if (link != null) {
                    sb.append("\n![").append(f.title()).append("](").append(link).append(")\n");
                }
            }
        }
        if (r.counterexample() != null) {
            sb.append("\nCounterexample:\n\n```json\n").append(shortJson(r.counterexample(), MAX_JSON)).append("\n```\n");
        }
    }

    /** A list of objects (one row per instance) reads best as a table. */
    private static boolean isTable(Object v) {
        if (!(v instanceof List<?> l) || l.isEmpty()) {
            return false;
        }
        for (Object o : l) {
            if (!(o instanceof Map)) {
                return false;
            }
        }
        return true;
    }

    private static void table(StringBuilder sb, String title, List<?> rows) {
        java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>();
        for (Object o : rows) {
            for (Object k : ((Map<?, ?>) o).keySet()) {
                cols.add(String.valueOf(k));
            }
        }
        sb.append("*").append(title).append(":*\n\n| ").append(String.join(" | ", cols)).append(" |\n|");
        sb.append(" --- |".repeat(cols.size())).append('\n');
        for (Object o : rows) {
            Map<?, ?> m = (Map<?, ?>) o;
            sb.append('|');
            for (String c : cols) {
                Object v = m.get(c);
                sb.append(' ').append(v == null ? "" : cell(v, 80)).append(" |");
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    /** One line of compact JSON (strings without quotes), safe inside a Markdown table. */
    private static String cell(Object v, int max) {
        String s;
        try {
            s = v instanceof String str ? str : COMPACT.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            s = String.valueOf(v);
        }
        s = s.replace("|", "\\|").replace("\n", " ");
        return s.length() <= max ? s : s.substring(0, max) + " ...";
    }

    private static String shortJson(Object o, int max) {
        String s;
        try {
            s = o instanceof String str ? str : JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            s = String.valueOf(o);
        }
        return s.length() <= max ? s : s.substring(0, max) + " ...";
    }
}
