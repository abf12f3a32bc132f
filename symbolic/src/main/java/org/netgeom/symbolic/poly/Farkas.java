package org.netgeom.symbolic.poly;

import org.netgeom.ir.Rational;

import java.util.List;

/**
 * An infeasibility certificate for a system of affine constraints g_i(u) &gt; 0 (strict) or
 * g_i(u) ≥ 0 over Q^k (Farkas 1902; Motzkin's transposition theorem for the strict case,
 * Schrijver 1986, §7.8): multipliers y ≥ 0 with Σ y_i a_i = 0 (the linear parts cancel) and
 * either Σ y_i c_i &lt; 0, or Σ y_i c_i ≤ 0 with y_i &gt; 0 for some strict constraint. Then
 * Σ y_i g_i(u) = Σ y_i c_i for every u, which the system would force to be positive
 * (respectively non-negative): no u satisfies it. {@link #proves} checks this exactly.
 *
 * @param y one non-negative multiplier per constraint
 */
public record Farkas(Rational[] y) {

    /** Checks, in exact arithmetic, that {@code y} proves the system infeasible. */
    public boolean proves(List<Form> g, boolean[] strict) {
        if (y.length != g.size() || strict.length != g.size() || g.isEmpty()) {
            return false;
        }
        int k = g.get(0).variables();
        Rational[] lin = new Rational[k];
        java.util.Arrays.fill(lin, Rational.ZERO);
        Rational c = Rational.ZERO;
        Rational strictWeight = Rational.ZERO;
        for (int i = 0; i < y.length; i++) {
            if (y[i].signum() < 0) {
                return false;
            }
            if (y[i].isZero()) {
                continue;
            }
            Form f = g.get(i);
            for (int j = 0; j < k; j++) {
                lin[j] = lin[j].add(y[i].multiply(f.value(j)));
            }
            c = c.add(y[i].multiply(f.constant()));
            if (strict[i]) {
                strictWeight = strictWeight.add(y[i]);
            }
        }
        for (Rational v : lin) {
            if (!v.isZero()) {
                return false;
            }
        }
        return c.signum() < 0 || (c.signum() == 0 && strictWeight.signum() > 0);
    }
}
