package org.netgeom.symbolic.poly;

import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact linear programming over Q: the simplex method on a dense rational tableau with Bland's
 * rule (no cycling; Bland 1977), two phases. Primal problems have free variables x ∈ Q^n and
 * constraints g_i(x) ≥ 0; they are solved through their dual in standard form,
 * min q·y s.t. Pᵀy = o, y ≥ 0 (where g_i(x) = c_i − P_i·x), whose simplex multipliers are an
 * optimal primal point and whose optimal y, or unbounded ray, is a {@link Farkas} certificate.
 *
 * <p>Every answer is verified before it is returned: a primal point is checked against all
 * constraints, an infeasibility certificate with {@link Farkas#proves}.
 */
public final class ExactLp {
    private ExactLp() {
    }

    /**
     * The outcome of {@link #maxMargin} / {@link #decide}: a point strictly inside (feasible) or a
     * checked certificate; {@code simplex} tells whether the exact simplex decided (otherwise a
     * float64 guess passed the exact check).
     */
    public record Margin(boolean feasible, Rational margin, Rational[] point, Farkas certificate, boolean simplex) {
    }

    /** The outcome of {@link #maximize}: status, value, an optimal point. */
    public record Optimum(Status status, Rational value, Rational[] point) {
    }

    public enum Status { OPTIMAL, UNBOUNDED, INFEASIBLE }

    /**
     * Decides whether {g_i(x) &gt; 0 for strict i, g_i(x) ≥ 0 otherwise} has a solution, by
     * maximising a margin t ≤ 1 with g_i(x) ≥ t for the strict constraints. Feasible: a point
     * with every strict g_i ≥ t* &gt; 0 (checked exactly). Infeasible: a checked Farkas
     * certificate. The constraints must bound x (the caller includes its domain).
     */
    public static Margin maxMargin(List<Form> g, boolean[] strict) {
        int m = g.size();
        int n = g.get(0).variables();
        // primal variables (x, t); rows P_i = (-a_i, s_i), q_i = c_i; cap row t <= 1
        Rational[][] pT = new Rational[n + 1][m + 1];
        Rational[] q = new Rational[m + 1];
        for (int i = 0; i < m; i++) {
            Form f = g.get(i);
            for (int j = 0; j < n; j++) {
                pT[j][i] = f.value(j).negate();
            }
            pT[n][i] = strict[i] ? Rational.ONE : Rational.ZERO;
            q[i] = f.constant();
        }
        for (int j = 0; j < n; j++) {
            pT[j][m] = Rational.ZERO;
        }
        pT[n][m] = Rational.ONE;
        q[m] = Rational.ONE;
        Rational[] o = new Rational[n + 1];
        Arrays.fill(o, Rational.ZERO);
        o[n] = Rational.ONE;
        Tableau.Result r = Tableau.solve(pT, o, q);
        if (r.status() == Tableau.Status.OPTIMAL && r.value().signum() > 0) {
            Rational[] x = Arrays.copyOf(r.multipliers(), n);
            for (int i = 0; i < m; i++) {
                int s = g.get(i).signAt(x);
                if (s < 0 || (s == 0 && strict[i])) {
                    throw new IllegalStateException("exact LP returned a point violating constraint " + i);
                }
            }
            return new Margin(true, r.value(), x, null, true);
        }
        Rational[] y = r.status() == Tableau.Status.OPTIMAL ? r.y() : r.status() == Tableau.Status.UNBOUNDED ? r.ray() : null;
        if (y == null) {
            throw new IllegalStateException("margin LP: the dual is infeasible, so the constraints do not bound x");
        }
        Farkas cert = new Farkas(Arrays.copyOf(y, m));
        if (!cert.proves(g, strict)) {
            throw new IllegalStateException("exact LP produced an infeasibility certificate that does not check");
        }
        return new Margin(false, r.status() == Tableau.Status.OPTIMAL ? r.value() : null, null, cert, true);
    }

    /**
     * The same decision as {@link #maxMargin}, guided by a float64 LP ({@link FloatLp}): its
     * point, rounded to dyadic rationals (and projected exactly onto the hyperplane when the system
     * holds one equation as a pair f ≥ 0, −f ≥ 0), is accepted if it passes the exact check of
     * every constraint; its dual support is accepted if the exactly solved multipliers are a
     * checked Farkas certificate; otherwise the exact simplex decides. Same answers, fewer exact LPs.
     */
    public static Margin decide(List<Form> g, boolean[] strict) {
        FloatLp.Guess guess = FloatLp.maxMargin(g, strict);
        if (guess != null && guess.margin() > 1e-9) {
            double[] x = guess.point();
            Form eq = equation(g, strict);
            Rational[] w = eq == null ? FloatLp.witness(x, g, strict) : projected(x, eq, g, strict);
            if (w != null) {
                return new Margin(true, null, w, null, false);
            }
        } else if (guess != null) {
            Farkas cert = FloatLp.certificate(guess.y(), g, strict);
            if (cert != null) {
                return new Margin(false, null, null, cert, false);
            }
        }
        return maxMargin(g, strict);
    }

    /** The form f of a pair of non-strict constraints f ≥ 0, −f ≥ 0, if the system has one. */
    private static Form equation(List<Form> g, boolean[] strict) {
        for (int i = 0; i < g.size(); i++) {
            if (strict[i]) {
                continue;
            }
            for (int j = i + 1; j < g.size(); j++) {
                if (!strict[j] && g.get(i).plus(g.get(j)).isZero()) {
                    return g.get(i);
                }
            }
        }
        return null;
    }

    /** Dyadic roundings of x projected exactly onto f = 0, checked against every constraint. */
    private static Rational[] projected(double[] x, Form f, List<Form> g, boolean[] strict) {
        int n = x.length;
        Rational norm = Rational.ZERO;
        for (int j = 0; j < n; j++) {
            norm = norm.add(f.value(j).multiply(f.value(j)));
        }
        if (norm.isZero()) {
            return null;
        }
        for (int bits = 8; bits <= 52; bits += 4) {
            Rational[] w = new Rational[n];
            for (int j = 0; j < n; j++) {
                double r = Math.rint(Math.scalb(x[j], bits));
                if (!Double.isFinite(r) || Math.abs(r) >= 0x1p62) {
                    return null;
                }
                w[j] = Rational.fromDouble(Math.scalb(r, -bits));
            }
            Rational t = f.valueAt(w).divide(norm);
            for (int j = 0; j < n; j++) {
                w[j] = w[j].subtract(t.multiply(f.value(j)));
            }
            boolean inside = true;
            for (int i = 0; i < g.size() && inside; i++) {
                int s = g.get(i).signAt(w);
                inside = s > 0 || (s == 0 && !strict[i]);
            }
            if (inside) {
                return w;
            }
        }
        return null;
    }

    /** Maximises o·x subject to g_i(x) ≥ 0 (x free). */
    public static Optimum maximize(List<Form> g, Rational[] objective) {
        int m = g.size();
        int n = objective.length;
        Rational[][] pT = new Rational[n][m];
        Rational[] q = new Rational[m];
        for (int i = 0; i < m; i++) {
            Form f = g.get(i);
            for (int j = 0; j < n; j++) {
                pT[j][i] = f.value(j).negate();
            }
            q[i] = f.constant();
        }
        Tableau.Result r = Tableau.solve(pT, objective, q);
        switch (r.status()) {
            case OPTIMAL -> {
                Rational[] x = r.multipliers();
                for (int i = 0; i < m; i++) {
                    if (g.get(i).signAt(x) < 0) {
                        throw new IllegalStateException("exact LP returned an infeasible point");
                    }
                }
                return new Optimum(Status.OPTIMAL, r.value(), x);
            }
            case UNBOUNDED -> {
                return new Optimum(Status.INFEASIBLE, null, null);    // dual unbounded: primal infeasible
            }
            default -> {
                return new Optimum(Status.UNBOUNDED, null, null);     // dual infeasible: primal unbounded (or infeasible)
            }
        }
    }

    /** The dense two-phase simplex for min c·y s.t. M y = r, y ≥ 0. */
    static final class Tableau {
        enum Status { OPTIMAL, UNBOUNDED, INFEASIBLE }

        record Result(Status status, Rational value, Rational[] y, Rational[] multipliers, Rational[] ray) {
        }

        private final int rows;
        private final int cols;         // structural columns
        private final Rational[][] t;   // rows x (cols + rows + 1): structural | artificial | rhs
        private final int[] basis;
        private final boolean[] alive;  // rows not deleted as redundant
        private final int[] flip;       // +1/-1: the sign each row was multiplied by

        private Tableau(Rational[][] m, Rational[] r) {
            rows = m.length;
            cols = m[0].length;
            t = new Rational[rows][cols + rows + 1];
            basis = new int[rows];
            alive = new boolean[rows];
            flip = new int[rows];
            for (int i = 0; i < rows; i++) {
                int s = r[i].signum() < 0 ? -1 : 1;
                flip[i] = s;
                for (int j = 0; j < cols; j++) {
                    t[i][j] = s < 0 ? m[i][j].negate() : m[i][j];
                }
                for (int j = 0; j < rows; j++) {
                    t[i][cols + j] = i == j ? Rational.ONE : Rational.ZERO;
                }
                t[i][cols + rows] = s < 0 ? r[i].negate() : r[i];
                basis[i] = cols + i;
                alive[i] = true;
            }
        }

        static Result solve(Rational[][] m, Rational[] r, Rational[] c) {
            Tableau tb = new Tableau(m, r);
            // phase 1: minimise the sum of the artificials
            Rational[] c1 = new Rational[tb.cols + tb.rows];
            Arrays.fill(c1, Rational.ZERO);
            for (int j = 0; j < tb.rows; j++) {
                c1[tb.cols + j] = Rational.ONE;
            }
            int[] entering = new int[1];
            if (tb.run(c1, tb.cols + tb.rows, entering) != Status.OPTIMAL) {
                throw new IllegalStateException("phase 1 cannot be unbounded");
            }
            if (tb.objective(c1).signum() > 0) {
                return new Result(Status.INFEASIBLE, null, null, null, null);
            }
            tb.driveOutArtificials();
            Rational[] c2 = Arrays.copyOf(c, tb.cols + tb.rows);
            for (int j = tb.cols; j < c2.length; j++) {
                c2[j] = Rational.ZERO;
            }
            Status s = tb.run(c2, tb.cols, entering);
            if (s == Status.UNBOUNDED) {
                Rational[] ray = new Rational[tb.cols];
                Arrays.fill(ray, Rational.ZERO);
                int e = entering[0];
                ray[e] = Rational.ONE;
                for (int i = 0; i < tb.rows; i++) {
                    if (tb.alive[i] && tb.basis[i] < tb.cols) {
                        ray[tb.basis[i]] = tb.t[i][e].negate();
                    }
                }
                return new Result(Status.UNBOUNDED, null, null, null, ray);
            }
            Rational[] y = new Rational[tb.cols];
            Arrays.fill(y, Rational.ZERO);
            for (int i = 0; i < tb.rows; i++) {
                if (tb.alive[i] && tb.basis[i] < tb.cols) {
                    y[tb.basis[i]] = tb.t[i][tb.cols + tb.rows];
                }
            }
            // simplex multipliers pi = c_B B^-1, read from the artificial columns, unflipped
            Rational[] pi = new Rational[tb.rows];
            for (int l = 0; l < tb.rows; l++) {
                Rational s2 = Rational.ZERO;
                for (int i = 0; i < tb.rows; i++) {
                    if (tb.alive[i]) {
                        s2 = s2.add(c2[tb.basis[i]].multiply(tb.t[i][tb.cols + l]));
                    }
                }
                pi[l] = tb.flip[l] < 0 ? s2.negate() : s2;
            }
            return new Result(Status.OPTIMAL, tb.objective(c2), y, pi, null);
        }

        private Rational objective(Rational[] c) {
            Rational s = Rational.ZERO;
            for (int i = 0; i < rows; i++) {
                if (alive[i]) {
                    s = s.add(c[basis[i]].multiply(t[i][cols + rows]));
                }
            }
            return s;
        }

        /** Simplex iterations with Bland's rule over columns [0, limit). */
        private Status run(Rational[] c, int limit, int[] enteringOut) {
            int rhs = cols + rows;
            while (true) {
                int e = -1;
                for (int j = 0; j < limit && e < 0; j++) {
                    if (isBasic(j)) {
                        continue;
                    }
                    Rational d = c[j];
                    for (int i = 0; i < rows; i++) {
                        if (alive[i] && !t[i][j].isZero()) {
                            d = d.subtract(c[basis[i]].multiply(t[i][j]));
                        }
                    }
                    if (d.signum() < 0) {
                        e = j;
                    }
                }
                if (e < 0) {
                    return Status.OPTIMAL;
                }
                int leave = -1;
                Rational best = null;
                for (int i = 0; i < rows; i++) {
                    if (!alive[i] || t[i][e].signum() <= 0) {
                        continue;
                    }
                    Rational ratio = t[i][rhs].divide(t[i][e]);
                    int cmp = best == null ? -1 : ratio.compareTo(best);
                    if (cmp < 0 || (cmp == 0 && basis[i] < basis[leave])) {
                        best = ratio;
                        leave = i;
                    }
                }
                if (leave < 0) {
                    enteringOut[0] = e;
                    return Status.UNBOUNDED;
                }
                pivot(leave, e);
            }
        }

        private boolean isBasic(int j) {
            for (int i = 0; i < rows; i++) {
                if (alive[i] && basis[i] == j) {
                    return true;
                }
            }
            return false;
        }

        private void pivot(int r, int e) {
            Rational[] pr = t[r];
            Rational inv = pr[e].reciprocal();
            for (int j = 0; j < pr.length; j++) {
                if (!pr[j].isZero()) {
                    pr[j] = pr[j].multiply(inv);
                }
            }
            for (int i = 0; i < rows; i++) {
                if (i == r || !alive[i] || t[i][e].isZero()) {
                    continue;
                }
                Rational f = t[i][e];
                Rational[] ti = t[i];
                for (int j = 0; j < ti.length; j++) {
                    if (!pr[j].isZero()) {
                        ti[j] = ti[j].subtract(f.multiply(pr[j]));
                    }
                }
            }
            basis[r] = e;
        }

        private void driveOutArtificials() {
            for (int i = 0; i < rows; i++) {
                if (!alive[i] || basis[i] < cols) {
                    continue;
                }
                int e = -1;
                for (int j = 0; j < cols && e < 0; j++) {
                    if (!t[i][j].isZero() && !isBasic(j)) {
                        e = j;
                    }
                }
                if (e >= 0) {
                    pivot(i, e);
                } else {
                    alive[i] = false;        // a redundant equation
                }
            }
        }
    }

    /** The constraints {@code lo_j ≤ x_j ≤ hi_j} as forms (for tests and domain set-up). */
    static List<Form> boxForms(Rational[] lo, Rational[] hi) {
        int n = lo.length;
        List<Form> out = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            Rational[] a = new Rational[n];
            Arrays.fill(a, Rational.ZERO);
            a[j] = Rational.ONE;
            out.add(Form.of(a, lo[j].negate()));
            Rational[] b = new Rational[n];
            Arrays.fill(b, Rational.ZERO);
            b[j] = Rational.MINUS_ONE;
            out.add(Form.of(b, hi[j]));
        }
        return out;
    }
}
