package org.netgeom.symbolic.formula;

import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.poly.Cell;
import org.netgeom.symbolic.poly.CellEnumerator;
import org.netgeom.symbolic.poly.Form;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.RegionSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed forms of a network in its input symbols x1…xn, exact, as Symja text and LaTeX:
 * <ul>
 *   <li>{@link #nested}: the composition itself (nested Max/Abs/…, see {@link NestedForm}),
 *       with free weight symbols allowed, simplified by Symja through {@link Cas};</li>
 *   <li>{@link #piecewise}: for numeric weights over a domain, the piecewise-affine function
 *       built from the exact enumeration: one case per affine piece, its exact map and the
 *       condition that its closure satisfies (in one variable an interval; otherwise the
 *       disjunction over the piece's regions of their facet inequalities).</li>
 * </ul>
 */
public final class Formula {
    /** Longest nested form accepted, in characters of Symja input. */
    public static final int MAX_NESTED_CHARS = 200_000;
    private static final Pattern INDEXED = Pattern.compile("(?<![\\\\A-Za-z_])([A-Za-z]+)(\\d+)(?![A-Za-z0-9_]|\\\\\\$)");

    private Formula() {
    }

    /**
     * The nested closed form: one Symja text and LaTeX per output, and the free symbols whose
     * IR names would read as something else there and are written under another name.
     */
    public record Nested(List<String> variables, List<String> text, List<String> latex, List<Renamed> renamed) {
    }

    /**
     * A free symbol written under another name in symbolic output: its IR name, the name in the
     * Symja text ({@code output}), the same name in LaTeX, and why.
     */
    public record Renamed(String symbol, String output, String latex, String reason) {
        /** The line printed for it: {@code note: symbol Pi renamed to Pi$ in output (…)}. */
        public String note() {
            return "symbol " + symbol + " renamed to " + output + " in output (" + reason + ")";
        }
    }

    /** Names a reader of LaTeX takes for constants although Symja reads them as plain symbols. */
    private static final Set<String> TEX_CONSTANTS = Set.of("e", "i");

    /** One case of the piecewise form. */
    public record Case(AffineMap map, List<Integer> regions, String value, String condition, String latexValue,
                       String latexCondition) {
    }

    /** The piecewise form: its cases, and all of it as Symja text and LaTeX. */
    public record Piecewise(List<String> variables, List<Case> cases, String text, String latex) {
    }

    /** x1…xn, or in1…inn when the model already uses x-names as weight symbols. */
    public static List<String> inputNames(Model m, int n) {
        String prefix = "x";
        for (String p : new String[]{"x", "in", "u"}) {
            prefix = p;
            boolean clash = false;
            for (String s : m.symbols()) {
                clash |= s.matches(p + "\\d+");
            }
            if (!clash) {
                break;
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    /** The network as a nested exact expression of its inputs (symbols allowed). */
    public static Nested nested(Model m) {
        List<String> vars = inputNames(m, m.input().size());
        String[] in = vars.toArray(new String[0]);
        String[] outs = new NestedForm(in, m.input(), MAX_NESTED_CHARS).run(m.layers());
        List<String> text = new ArrayList<>();
        List<String> tex = new ArrayList<>();
        Cas cas = Cas.get();
        Map<String, Renamed> renamed = outputNames(m.symbols(), vars, cas);
        Map<String, String> textNames = new HashMap<>();
        Map<String, String> texNames = new HashMap<>();
        for (Renamed r : renamed.values()) {
            textNames.put(r.symbol(), r.output());
            texNames.put(r.symbol(), r.latex());
        }
        for (String e : outs) {
            text.add(cas.textLine(e, textNames));
            tex.add(prettyTex(cas.tex(e, texNames)));
        }
        return new Nested(vars, text, tex, List.copyOf(renamed.values()));
    }

    /**
     * The free symbols that symbolic output must write under another name, keyed by IR name
     * (docs/ir.md, "Reserved symbol names"). A symbol keeps its name when Symja's parser reads
     * that name as a plain symbol of its own: not a built-in ({@code Pi}, {@code E}, {@code I},
     * {@code N}, {@code D}, {@code gamma} …), not a pattern ({@code a_2}: {@code _} makes one),
     * not the symbol another name reads as ({@code Ab} and {@code ab}, or {@code X1} and the input
     * {@code x1}: relaxed syntax folds case), and not {@code e} or {@code i}, which a reader of
     * LaTeX takes for constants. Every other symbol is renamed: {@code _} becomes {@code $} and a
     * name without {@code _} gets a trailing {@code $} ({@code Pi$}, {@code a$2}), with a number
     * appended when that reading is taken ({@code Pi$2}). IR names never contain {@code $}, so no
     * renamed name equals an IR symbol, and each renamed name is checked with Symja to read as a
     * symbol no other name of the output reads as.
     *
     * @param symbols the model's free symbols
     * @param vars    the input variable names the output uses ({@code x1}…)
     */
    public static Map<String, Renamed> outputNames(Collection<String> symbols, List<String> vars, Cas cas) {
        Map<String, String> reading = new HashMap<>();
        Map<String, List<String>> byReading = new HashMap<>();
        Set<String> used = new HashSet<>();
        Map<String, String> varOf = new HashMap<>();
        for (String v : vars) {
            String r = cas.reading(v);
            used.add(r);
            varOf.put(r, v);
        }
        TreeSet<String> sorted = new TreeSet<>(symbols);
        for (String s : sorted) {
            String r = s.contains("_") ? null : cas.reading(s);
            reading.put(s, r);
            if (r != null) {
                byReading.computeIfAbsent(r, k -> new ArrayList<>()).add(s);
            }
        }
        List<String> rename = new ArrayList<>();
        for (String s : sorted) {
            String r = reading.get(s);
            if (r != null && !TEX_CONSTANTS.contains(s) && byReading.get(r).size() == 1 && !used.contains(r)) {
                used.add(r);
            } else {
                rename.add(s);
            }
        }
        Map<String, Renamed> out = new LinkedHashMap<>();
        for (String s : rename) {
            String base = s.replace('_', '$');
            if (!base.contains("$")) {
                base += "$";
            }
            String cand = base;
            String r = cas.reading(cand);
            for (int k = 2; r == null || used.contains(r); k++) {
                cand = base + (base.endsWith("$") ? "" : "$") + k;
                r = cas.reading(cand);
            }
            used.add(r);
            out.put(s, new Renamed(s, cand, cand.replace("$", "\\$"), reason(s, reading.get(s), byReading, varOf)));
        }
        return out;
    }

    private static String reason(String s, String r, Map<String, List<String>> byReading, Map<String, String> varOf) {
        if (s.contains("_")) {
            return "Symja reads _ as a pattern";
        }
        if (r == null) {
            return "Symja reads " + s + " as a built-in";
        }
        if (TEX_CONSTANTS.contains(s)) {
            return "a reader takes " + s + (s.equals("e") ? " for Euler's number" : " for the imaginary unit");
        }
        if (varOf.containsKey(r)) {
            return "Symja reads " + s + " as the input variable " + varOf.get(r);
        }
        List<String> same = new ArrayList<>(byReading.get(r));
        return "Symja reads " + String.join(" and ", same) + " as one symbol";
    }

    /** The piecewise form of an exact enumeration, over variables named {@code vars}. */
    public static Piecewise piecewise(RegionSet rs, List<String> vars) {
        if (rs.pieces() == null) {
            throw new IllegalArgumentException("the piecewise form needs an exact enumeration");
        }
        List<Case> cases = new ArrayList<>();
        List<RegionSet.Interval> intervals = rs.dimension() == 1 && rs.regions().get(0).vertices() != null ? rs.intervals() : null;
        List<RegionSet.Piece> order = new ArrayList<>();
        if (intervals != null) {
            for (RegionSet.Interval iv : intervals) {
                order.add(iv.piece());
            }
        } else {
            order.addAll(rs.pieces());
        }
        for (int c = 0; c < order.size(); c++) {
            RegionSet.Piece p = order.get(c);
            String cond;
            String texCond;
            if (intervals != null) {
                RegionSet.Interval iv = intervals.get(c);
                cond = iv.lo() + " <= " + vars.get(0) + " <= " + iv.hi();
                texCond = texNumber(iv.lo()) + " \\le " + texVar(vars.get(0)) + " \\le " + texNumber(iv.hi());
            } else {
                List<String> ors = new ArrayList<>();
                List<String> texOrs = new ArrayList<>();
                for (int ri : p.regions()) {
                    List<String> ands = new ArrayList<>();
                    List<String> texAnds = new ArrayList<>();
                    for (Form f : regionInequalities(rs, rs.regions().get(ri))) {
                        ands.add(inequality(f, vars, false));
                        texAnds.add(inequality(f, vars, true));
                    }
                    ors.add(ands.isEmpty() ? "True" : String.join(" && ", ands));
                    texOrs.add(texAnds.isEmpty() ? "\\text{true}" : String.join(",\\ ", texAnds));
                }
                cond = ors.size() == 1 ? ors.get(0) : "(" + String.join(") || (", ors) + ")";
                texCond = String.join(" \\ \\text{or}\\ ", texOrs);
            }
            cases.add(new Case(p.map(), p.regions(), value(p.map(), vars, false), cond, value(p.map(), vars, true), texCond));
        }
        StringBuilder text = new StringBuilder("Piecewise({");
        StringBuilder tex = new StringBuilder("f(" + String.join(", ", vars.stream().map(Formula::texVar).toList())
                + ") = \\begin{cases}\n");
        for (int c = 0; c < cases.size(); c++) {
            Case k = cases.get(c);
            text.append(c == 0 ? "" : ", ").append("{").append(k.value()).append(", ").append(k.condition()).append("}");
            tex.append("  ").append(k.latexValue()).append(" & ").append(k.latexCondition()).append(c + 1 < cases.size() ? " \\\\\n" : "\n");
        }
        text.append("})");
        tex.append("\\end{cases}");
        return new Piecewise(vars, cases, text.toString(), tex.toString());
    }

    /** The facet inequalities of a region that are not the domain's (all inequalities in LP mode). */
    private static List<Form> regionInequalities(RegionSet rs, Region r) {
        List<Form> out = new ArrayList<>();
        if (r.facets() != null) {
            for (Cell.Facet f : r.facets()) {
                if (f.label() >= 0) {
                    out.add(f.form());
                }
            }
        } else {
            for (CellEnumerator.Inequality q : rs.inequalities(r)) {
                out.add(q.form());
            }
        }
        return out;
    }

    /** An affine map as exact text ({@code 4*x1 - 2}; a list {e1, e2, …} for several outputs) or LaTeX. */
    public static String value(AffineMap m, List<String> vars, boolean tex) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < m.outputs(); i++) {
            Rational[] a = new Rational[m.variables()];
            for (int j = 0; j < a.length; j++) {
                a[j] = m.a(i, j);
            }
            rows.add(affine(a, m.b(i), vars, tex));
        }
        if (rows.size() == 1) {
            return rows.get(0);
        }
        return tex ? "\\begin{pmatrix} " + String.join(" \\\\ ", rows) + " \\end{pmatrix}" : "{" + String.join(", ", rows) + "}";
    }

    /** f ≥ 0 written as a·x ≥ −c, the linear part scaled to integers over their gcd (same inequality). */
    private static String inequality(Form f, List<String> vars, boolean tex) {
        Form.Hyperplane h = f.hyperplane();
        int o = f.orientation();
        int k = f.variables();
        Rational[] a = new Rational[k];
        for (int j = 0; j < k; j++) {
            a[j] = Rational.of(h.v()[j].multiply(java.math.BigInteger.valueOf(o)));
        }
        Rational c = Rational.of(h.v()[k].multiply(java.math.BigInteger.valueOf(o))).negate();
        return affine(a, Rational.ZERO, vars, tex) + (tex ? " \\ge " + texNumber(c) : " >= " + c);
    }

    /** Σ a_j x_j + b, exact, zero terms left out. */
    static String affine(Rational[] a, Rational b, List<String> vars, boolean tex) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < a.length; j++) {
            if (a[j].isZero()) {
                continue;
            }
            Rational q = a[j];
            boolean neg = q.signum() < 0;
            Rational m = q.abs();
            sb.append(sb.length() == 0 ? (neg ? "-" : "") : (neg ? " - " : " + "));
            String var = tex ? texVar(vars.get(j)) : vars.get(j);
            if (!m.isOne()) {
                sb.append(tex ? texNumber(m) + " " : m + "*");
            }
            sb.append(var);
        }
        if (!b.isZero() || sb.length() == 0) {
            boolean neg = b.signum() < 0;
            String num = tex ? texNumber(b.abs()) : b.abs().toString();
            sb.append(sb.length() == 0 ? (neg ? "-" : "") + num : (neg ? " - " : " + ") + num);
        }
        return sb.toString();
    }

    static String texNumber(Rational q) {
        if (q.isInteger()) {
            return q.toString();
        }
        String s = q.signum() < 0 ? "-" : "";
        return s + "\\frac{" + q.numerator().abs() + "}{" + q.denominator() + "}";
    }

    static String texVar(String name) {
        Matcher m = INDEXED.matcher(name);
        return m.matches() ? m.group(1) + "_{" + m.group(2) + "}" : name;
    }

    /** Symja's LaTeX made ready to paste: \max, \min, indexed names with subscripts. */
    static String prettyTex(String tex) {
        String t = tex.replace("\\text{Max}", "\\max").replace("\\text{Min}", "\\min").trim();
        Matcher m = INDEXED.matcher(t);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + "_{" + m.group(2) + "}"));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
