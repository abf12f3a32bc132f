package org.netgeom.symbolic.poly;

import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The margin LP of {@link ExactLp#maxMargin} in float64, used only to GUIDE the exact decision
 * (it never decides): its point, rounded to dyadic rationals, becomes a witness only if it passes
 * an exact check of every constraint; its dual support becomes a Farkas certificate only if the
 * exactly solved multipliers pass {@link Farkas#proves}. Otherwise the exact simplex decides.
 * Rows are scaled to unit max-norm (a positive scaling, which changes no decision) so the margin
 * favours points deep inside.
 */
final class FloatLp {
    private static final double EPS = 1e-9;
    private static final int MAX_PIVOTS = 5000;

    private FloatLp() {
    }

    /** A guess: a margin and point (feasible side) or multipliers (infeasible side); null when the run failed. */
    record Guess(double margin, double[] point, double[] y) {
    }

    static Guess maxMargin(List<Form> g, boolean[] strict) {
        int m = g.size();
        int n = g.get(0).variables();
        int rows = n + 1;
        int cols = m + 1;
        double[][] t = new double[rows][cols + rows + 1];
        double[] q = new double[cols];
        for (int i = 0; i < m; i++) {
            Form f = g.get(i);
            double s = 0;
            for (int j = 0; j <= n; j++) {
                s = Math.max(s, Math.abs(f.approx(j)));
            }
            if (!(s > 0) || !Double.isFinite(s)) {
                return null;
            }
            for (int j = 0; j < n; j++) {
                t[j][i] = -f.approx(j) / s;
            }
            t[n][i] = strict[i] ? 1 : 0;
            q[i] = f.approx(n) / s;
        }
        t[n][m] = 1;
        q[m] = 1;
        double[] rhs = new double[rows];
        rhs[n] = 1;
        int[] basis = new int[rows];
        double[] flip = new double[rows];
        for (int r = 0; r < rows; r++) {
            flip[r] = rhs[r] < 0 ? -1 : 1;
            for (int c = 0; c < cols; c++) {
                t[r][c] *= flip[r];
            }
            t[r][cols + r] = 1;
            t[r][cols + rows] = rhs[r] * flip[r];
            basis[r] = cols + r;
        }
        double[] c1 = new double[cols + rows];
        for (int r = 0; r < rows; r++) {
            c1[cols + r] = 1;
        }
        if (!simplex(t, basis, c1, cols + rows)) {
            return null;
        }
        double art = 0;
        for (int r = 0; r < rows; r++) {
            art += c1[basis[r]] * t[r][cols + rows];
        }
        if (art > EPS) {
            return null;                  // the dual is always feasible: a numerical failure
        }
        for (int r = 0; r < rows; r++) {
            if (basis[r] >= cols) {
                int e = -1;
                for (int c = 0; c < cols && e < 0; c++) {
                    if (Math.abs(t[r][c]) > EPS && !basic(basis, c)) {
                        e = c;
                    }
                }
                if (e < 0) {
                    return null;
                }
                pivot(t, basis, r, e);
            }
        }
        double[] c2 = Arrays.copyOf(q, cols + rows);
        if (!simplex(t, basis, c2, cols)) {
            return null;
        }
        double value = 0;
        double[] y = new double[cols];
        for (int r = 0; r < rows; r++) {
            value += c2[basis[r]] * t[r][cols + rows];
            if (basis[r] < cols) {
                y[basis[r]] = t[r][cols + rows];
            }
        }
        double[] pi = new double[rows];
        for (int l = 0; l < rows; l++) {
            double s = 0;
            for (int r = 0; r < rows; r++) {
                s += c2[basis[r]] * t[r][cols + l];
            }
            pi[l] = s * flip[l];
        }
        return new Guess(value, Arrays.copyOf(pi, n), Arrays.copyOf(y, m));
    }

    private static boolean basic(int[] basis, int c) {
        for (int b : basis) {
            if (b == c) {
                return true;
            }
        }
        return false;
    }

    /** Bland's rule; false when unbounded or too many pivots. */
    private static boolean simplex(double[][] t, int[] basis, double[] c, int limit) {
        int rows = t.length;
        int rhs = t[0].length - 1;
        for (int it = 0; it < MAX_PIVOTS; it++) {
            int e = -1;
            for (int j = 0; j < limit && e < 0; j++) {
                if (basic(basis, j)) {
                    continue;
                }
                double d = c[j];
                for (int r = 0; r < rows; r++) {
                    d -= c[basis[r]] * t[r][j];
                }
                if (d < -EPS) {
                    e = j;
                }
            }
            if (e < 0) {
                return true;
            }
            int leave = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                if (t[r][e] > EPS) {
                    double ratio = t[r][rhs] / t[r][e];
                    if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && basis[r] < basis[leave])) {
                        best = ratio;
                        leave = r;
                    }
                }
            }
            if (leave < 0) {
                return false;
            }
            pivot(t, basis, leave, e);
        }
        return false;
    }

    private static void pivot(double[][] t, int[] basis, int r, int e) {
        double p = t[r][e];
        double[] pr = t[r];
        for (int j = 0; j < pr.length; j++) {
            pr[j] /= p;
        }
        for (int i = 0; i < t.length; i++) {
            if (i != r && t[i][e] != 0) {
                double f = t[i][e];
                double[] ti = t[i];
                for (int j = 0; j < ti.length; j++) {
                    ti[j] -= f * pr[j];
                }
            }
        }
        basis[r] = e;
    }

    /** Dyadic roundings of a float point, coarse to fine, that satisfy every constraint strictly (exact check). */
    static Rational[] witness(double[] x, List<Form> g, boolean[] strict) {
        for (int bits = 8; bits <= 52; bits += 4) {
            Rational[] w = new Rational[x.length];
            boolean ok = true;
            for (int j = 0; j < x.length && ok; j++) {
                double r = Math.rint(Math.scalb(x[j], bits));
                ok = Double.isFinite(r) && Math.abs(r) < 0x1p62;
                w[j] = ok ? Rational.fromDouble(Math.scalb(r, -bits)) : null;
            }
            if (!ok) {
                return null;
            }
            Point p = new Point(w);
            boolean inside = true;
            for (int i = 0; i < g.size() && inside; i++) {
                int s = g.get(i).signAt(p);
                inside = s > 0 || (s == 0 && !strict[i]);
            }
            if (inside) {
                return w;
            }
        }
        return null;
    }

    /**
     * A Farkas certificate from the support of float multipliers: the exact solution of
     * Σ_{i∈S} y_i a_i = 0, Σ_{i∈S, strict} y_i = 1 (or Σ y_i = 1), checked; null when it does not check.
     */
    static Farkas certificate(double[] yf, List<Form> g, boolean[] strict) {
        double max = 0;
        for (double v : yf) {
            max = Math.max(max, v);
        }
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i < yf.length; i++) {
            if (yf[i] > 1e-7 * max) {
                s.add(i);
            }
        }
        if (s.isEmpty()) {
            return null;
        }
        int n = g.get(0).variables();
        // unknowns y_S; equations: n linear-part rows and one normalisation row
        Rational[][] a = new Rational[n + 1][s.size() + 1];
        for (int c = 0; c < s.size(); c++) {
            Form f = g.get(s.get(c));
            for (int j = 0; j < n; j++) {
                a[j][c] = f.value(j);
            }
            a[n][c] = Rational.ONE;
        }
        for (int j = 0; j < n; j++) {
            a[j][s.size()] = Rational.ZERO;
        }
        a[n][s.size()] = Rational.ONE;
        Rational[] ys = Linear.solve(a);
        if (ys == null) {
            return null;
        }
        Rational[] y = new Rational[g.size()];
        Arrays.fill(y, Rational.ZERO);
        for (int c = 0; c < s.size(); c++) {
            y[s.get(c)] = ys[c];
        }
        Farkas f = new Farkas(y);
        return f.proves(g, strict) ? f : null;
    }
}
