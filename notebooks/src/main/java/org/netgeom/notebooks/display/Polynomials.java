package org.netgeom.notebooks.display;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.List;

/**
 * Exact polynomials of degree at most 2 as short text or LaTeX, without computer algebra: the
 * quadratic pieces of a loss along a line ({@code 1/32 + t^2}, as {@code netgeom loss-surface --line}
 * prints them) and the quadratic ½uᵀHu + gᵀu + c of a loss cell, expanded
 * ({@code 1/4 + 1/2 a + 1/8 a^2 + 1/16 a b}). Terms go by degree; zero terms are left out;
 * coefficients are exact rationals.
 */
public final class Polynomials {
    private Polynomials() {
    }

    /** Σ c[k]·var^k, c in ascending degree. */
    public static String univariate(Rational[] c, String var) {
        List<Term> t = new ArrayList<>();
        for (int k = 0; k < c.length; k++) {
            t.add(new Term(c[k], k == 0 ? List.of() : java.util.Collections.nCopies(k, var)));
        }
        return join(t, false);
    }

    /** The expanded quadratic ½uᵀHu + gᵀu + c in the named variables (H symmetric). */
    public static String quadratic(Rational[][] h, Rational[] g, Rational c, List<String> names) {
        return join(terms(h, g, c, names), false);
    }

    /** The affine form a·u + c, constant first as in the other forms here. */
    public static String linear(Rational[] a, Rational c, List<String> names) {
        if (a.length != names.size()) {
            throw IrError.BAD_INPUT.error(a.length + " coefficients for " + names.size() + " variables");
        }
        List<Term> t = new ArrayList<>();
        t.add(new Term(c, List.of()));
        for (int i = 0; i < a.length; i++) {
            t.add(new Term(a[i], List.of(names.get(i))));
        }
        return join(t, false);
    }

    /** The same quadratic in LaTeX. */
    public static String quadraticLatex(Rational[][] h, Rational[] g, Rational c, List<String> names) {
        return join(terms(h, g, c, names), true);
    }

    private record Term(Rational coefficient, List<String> vars) {
    }

    private static List<Term> terms(Rational[][] h, Rational[] g, Rational c, List<String> names) {
        int m = g.length;
        if (h.length != m || names.size() != m) {
            throw IrError.BAD_INPUT.error("a quadratic in " + names.size() + " variables needs H of " + names.size() + " rows and g of "
                    + names.size() + " entries, not " + h.length + " and " + m);
        }
        List<Term> t = new ArrayList<>();
        t.add(new Term(c, List.of()));
        for (int a = 0; a < m; a++) {
            t.add(new Term(g[a], List.of(names.get(a))));
        }
        for (int a = 0; a < m; a++) {
            for (int b = a; b < m; b++) {
                t.add(new Term(a == b ? h[a][a].multiply(Rational.HALF) : h[a][b].add(h[b][a]).multiply(Rational.HALF),
                        List.of(names.get(a), names.get(b))));
            }
        }
        return t;
    }

    private static String join(List<Term> terms, boolean tex) {
        StringBuilder sb = new StringBuilder();
        for (Term t : terms) {
            Rational q = t.coefficient();
            if (q.isZero()) {
                continue;
            }
            String mono = monomial(t.vars(), tex);
            Rational m = q.abs();
            String num = tex ? Latex.rational(m) : m.toString();
            String term = mono.isEmpty() ? num : m.isOne() ? mono : num + " " + mono;
            sb.append(sb.length() == 0 ? (q.signum() < 0 ? "-" : "") : (q.signum() < 0 ? " - " : " + ")).append(term);
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    private static String monomial(List<String> vars, boolean tex) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < vars.size(); ) {
            int j = i;
            while (j < vars.size() && vars.get(j).equals(vars.get(i))) {
                j++;
            }
            parts.add(j - i == 1 ? vars.get(i) : vars.get(i) + "^" + (j - i));
            i = j;
        }
        return String.join(" ", parts);
    }
}
