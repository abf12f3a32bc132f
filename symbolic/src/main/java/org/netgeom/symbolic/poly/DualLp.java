package org.netgeom.symbolic.poly;

import org.netgeom.ir.Rational;

import java.util.Arrays;
import java.util.List;

/**
 * Exact linear programs with their dual certificate: maximise o·x subject to g_i(x) = a_i·x + c_i
 * ≥ 0 (x free), solved by {@link ExactLp}'s rational simplex. The answer carries an optimal x* and
 * multipliers y ≥ 0 with Σ y_i a_i = −o (dual feasibility) and Σ y_i c_i = o·x* (strong
 * duality); since Σ y_i g_i(x) ≥ 0 for every feasible x, this gives o·x ≤ Σ y_i c_i, so the value
 * is proven optimal (LP duality, e.g. Schrijver 1986, Cor. 7.1g). An infeasible program carries a
 * {@link Farkas} certificate. {@link #check} re-verifies either in exact arithmetic.
 */
public final class DualLp {
    private DualLp() {
    }

    public enum Status { OPTIMAL, INFEASIBLE, UNBOUNDED }

    /**
     * The outcome: for OPTIMAL the value, x* and y; for INFEASIBLE y is a Farkas certificate
     * (Σ y_i a_i = 0, Σ y_i c_i &lt; 0).
     */
    public record Result(Status status, Rational value, Rational[] point, Rational[] dual) {
    }

    /** Solves and checks; throws IllegalStateException if the solver's answer does not check. */
    public static Result maximize(List<Form> g, Rational[] o) {
        int m = g.size();
        int n = o.length;
        Rational[][] pT = new Rational[n][m];
        Rational[] q = new Rational[m];
        for (int i = 0; i < m; i++) {
            Form f = g.get(i);
            for (int j = 0; j < n; j++) {
                pT[j][i] = f.value(j).negate();
            }
            q[i] = f.constant();
        }
        ExactLp.Tableau.Result r = ExactLp.Tableau.solve(pT, o, q);
        Result res = switch (r.status()) {
            case OPTIMAL -> new Result(Status.OPTIMAL, r.value(), r.multipliers(), r.y());
            case UNBOUNDED -> new Result(Status.INFEASIBLE, null, null, r.ray());
            default -> new Result(Status.UNBOUNDED, null, null, null);
        };
        if (res.status() != Status.UNBOUNDED && !check(g, o, res)) {
            throw new IllegalStateException("exact LP: the certificate does not check");
        }
        return res;
    }

    /**
     * Checks a result exactly: OPTIMAL — x* feasible, o·x* = value, y ≥ 0, Σ y_i a_i = −o,
     * Σ y_i c_i = value; INFEASIBLE — y a Farkas certificate.
     */
    public static boolean check(List<Form> g, Rational[] o, Result r) {
        if (r.status() == Status.INFEASIBLE) {
            boolean[] strict = new boolean[g.size()];
            return r.dual() != null && new Farkas(r.dual()).proves(g, strict);
        }
        if (r.status() != Status.OPTIMAL || r.dual() == null || r.point() == null || r.dual().length != g.size()) {
            return false;
        }
        int n = o.length;
        Rational ox = Rational.ZERO;
        for (int j = 0; j < n; j++) {
            ox = ox.add(o[j].multiply(r.point()[j]));
        }
        if (!ox.equals(r.value())) {
            return false;
        }
        for (Form f : g) {
            if (f.signAt(r.point()) < 0) {
                return false;
            }
        }
        Rational[] lin = new Rational[n];
        Arrays.fill(lin, Rational.ZERO);
        Rational c = Rational.ZERO;
        for (int i = 0; i < g.size(); i++) {
            Rational y = r.dual()[i];
            if (y.signum() < 0) {
                return false;
            }
            if (y.isZero()) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                lin[j] = lin[j].add(y.multiply(g.get(i).value(j)));
            }
            c = c.add(y.multiply(g.get(i).constant()));
        }
        for (int j = 0; j < n; j++) {
            if (!lin[j].add(o[j]).isZero()) {
                return false;
            }
        }
        return c.equals(r.value());
    }
}
