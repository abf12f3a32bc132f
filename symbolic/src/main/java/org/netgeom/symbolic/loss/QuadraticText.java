package org.netgeom.symbolic.loss;

import org.netgeom.ir.Rational;
import org.netgeom.symbolic.cas.Cas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loss formulas as Symja expressions and LaTeX: the quadratic ½uᵀHu + gᵀu + c of a cell
 * expanded into monomials of the variables (the model's own symbols, or the layer's parameters
 * named W_{i,j}, b_{i}), and the piecewise polynomial along a line as a LaTeX {@code cases}.
 */
public final class QuadraticText {
    private QuadraticText() {
    }

    /** Symja input of c + Σ g_a u_a + Σ_a H_aa/2 u_a² + Σ_{a&lt;b} H_ab u_a u_b, with the given Symja names. */
    public static String symjaInput(Rational[][] h, Rational[] g, Rational c, List<String> names) {
        StringBuilder sb = new StringBuilder(Cas.of(c));
        int m = g.length;
        for (int a = 0; a < m; a++) {
            if (!g[a].isZero()) {
                sb.append("+").append(Cas.of(g[a])).append("*").append(names.get(a));
            }
        }
        for (int a = 0; a < m; a++) {
            for (int b = a; b < m; b++) {
                Rational q = a == b ? h[a][a].multiply(Rational.HALF) : h[a][b];
                if (!q.isZero()) {
                    sb.append("+").append(Cas.of(q)).append("*").append(names.get(a)).append("*").append(names.get(b));
                }
            }
        }
        return sb.toString();
    }

    private static List<String> casNames(Cas cas, List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add(cas.symbol(n));
        }
        return out;
    }

    /** The cell's quadratic as expanded Symja text in the variables' IR names. */
    public static String expression(LossCell.Result r, Variables v, Cas cas) {
        return cas.textLine("Expand(" + symjaInput(r.hessian(), r.g(), r.c(), casNames(cas, v.names())) + ")");
    }

    /** The cell's quadratic as LaTeX. */
    public static String latex(LossCell.Result r, Variables v, Cas cas) {
        Map<String, String> tex = new HashMap<>();
        for (int i = 0; i < v.size(); i++) {
            tex.put(v.names().get(i), v.texNames().get(i));
        }
        return cas.tex("Expand(" + symjaInput(r.hessian(), r.g(), r.c(), casNames(cas, v.names())) + ")", tex);
    }

    /** The piecewise polynomial along a line as LaTeX: \begin{cases} p_1(t) &amp; t ∈ [t_0, t_1] \\ … \end{cases}. */
    public static String lineLatex(List<LossLine.Piece> pieces, Cas cas) {
        String t = cas.symbol("t");
        Map<String, String> tex = Map.of("t", "t");
        StringBuilder sb = new StringBuilder("\\begin{cases}\n");
        for (int i = 0; i < pieces.size(); i++) {
            LossLine.Piece p = pieces.get(i);
            StringBuilder poly = new StringBuilder("0");
            for (int k = 0; k < p.coeffs().length; k++) {
                if (!p.coeffs()[k].isZero()) {
                    poly.append("+").append(Cas.of(p.coeffs()[k])).append(k == 0 ? "" : "*" + t + "^" + k);
                }
            }
            sb.append(cas.tex(poly.toString(), tex)).append(" & t \\in [").append(texOf(p.t0())).append(", ")
                    .append(texOf(p.t1())).append("]").append(i + 1 < pieces.size() ? " \\\\\n" : "\n");
        }
        return sb.append("\\end{cases}").toString();
    }

    /** A rational as LaTeX: 3, -\frac{1}{2}. */
    public static String texOf(Rational q) {
        if (q.isInteger()) {
            return q.toString();
        }
        return (q.signum() < 0 ? "-" : "") + "\\frac{" + q.numerator().abs() + "}{" + q.denominator() + "}";
    }
}
