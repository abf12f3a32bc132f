package org.netgeom.symbolic.regions;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.ExactLp;
import org.netgeom.symbolic.poly.Farkas;
import org.netgeom.symbolic.poly.Form;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's exact LP (dual simplex in standard form) decides strict feasibility exactly as the
 * test's reference ({@link RefLp}: Fourier–Motzkin in 2-D, a textbook primal simplex in 3-D/4-D)
 * on random systems, and so does its float-guided decision ({@link ExactLp#decide}); its points satisfy the system, its Farkas certificates check, and a
 * certificate with one multiplier raised (so the linear parts no longer cancel) does not.
 */
class ExactLpVsReferenceTest {
    @Test
    void decisionsAgreeAndCertificatesCheck() {
        SplittableRandom rnd = new SplittableRandom(5);
        int feasible = 0;
        int infeasible = 0;
        for (int t = 0; t < 600; t++) {
            int k = 2 + rnd.nextInt(3);
            int m = 2 + rnd.nextInt(6);
            List<Rational[]> rows = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                Rational[] r = new Rational[k + 1];
                for (int j = 0; j <= k; j++) {
                    r[j] = Rational.of(rnd.nextInt(-6, 7), rnd.nextInt(1, 4));
                }
                rows.add(r);
            }
            Rational[] lo = new Rational[k];
            Rational[] hi = new Rational[k];
            Arrays.fill(lo, Rational.MINUS_ONE);
            Arrays.fill(hi, Rational.ONE);
            boolean want = RefLp.feasible(rows, lo, hi);
            List<Form> forms = new ArrayList<>();
            for (Rational[] r : rows) {
                forms.add(Form.of(Arrays.copyOf(r, k), r[k]));
            }
            // the box, strict as well
            for (int j = 0; j < k; j++) {
                Rational[] e = new Rational[k];
                Arrays.fill(e, Rational.ZERO);
                e[j] = Rational.ONE;
                forms.add(Form.of(e, Rational.ONE));
                e = e.clone();
                e[j] = Rational.MINUS_ONE;
                forms.add(Form.of(e, Rational.ONE));
            }
            boolean[] strict = new boolean[forms.size()];
            Arrays.fill(strict, true);
            ExactLp.Margin got = ExactLp.maxMargin(forms, strict);
            assertEquals(want, got.feasible(), "system " + t);
            // the float-guided decision: the same answer, with its own exactly checked evidence
            ExactLp.Margin guided = ExactLp.decide(forms, strict);
            assertEquals(want, guided.feasible(), "guided, system " + t);
            if (guided.feasible()) {
                for (Form f : forms) {
                    assertTrue(f.signAt(guided.point()) > 0);
                }
            } else {
                assertTrue(guided.certificate().proves(forms, strict));
            }
            if (got.feasible()) {
                feasible++;
                for (Form f : forms) {
                    assertTrue(f.signAt(got.point()) > 0);
                }
            } else {
                infeasible++;
                Farkas cert = got.certificate();
                assertTrue(cert.proves(forms, strict));
                // add weight on a constraint with a non-zero linear part: the a_i no longer cancel
                Rational[] y = cert.y().clone();
                int i = forms.size() - 1;         // a box side: linear part e_j or -e_j
                y[i] = y[i].add(Rational.ONE);
                assertFalse(new Farkas(y).proves(forms, strict), "a tampered certificate must not check");
            }
        }
        assertTrue(feasible > 50 && infeasible > 50, feasible + " feasible, " + infeasible + " infeasible");
    }

    @Test
    void maximizeFindsTheOptimum() {
        // max x + y on the triangle x >= 0, y >= 0, x + 2y <= 2, 3x + y <= 3: optimum at (4/5, 3/5)
        List<Form> g = List.of(
                Form.of(new Rational[]{Rational.ONE, Rational.ZERO}, Rational.ZERO),
                Form.of(new Rational[]{Rational.ZERO, Rational.ONE}, Rational.ZERO),
                Form.of(new Rational[]{Rational.MINUS_ONE, Rational.of(-2)}, Rational.TWO),
                Form.of(new Rational[]{Rational.of(-3), Rational.MINUS_ONE}, Rational.of(3)));
        ExactLp.Optimum o = ExactLp.maximize(g, new Rational[]{Rational.ONE, Rational.ONE});
        assertEquals(ExactLp.Status.OPTIMAL, o.status());
        assertEquals(Rational.of(7, 5), o.value());
        assertEquals(Rational.of(4, 5), o.point()[0]);
        assertEquals(Rational.of(3, 5), o.point()[1]);
        assertEquals(ExactLp.Status.UNBOUNDED, ExactLp.maximize(g.subList(0, 2), new Rational[]{Rational.ONE, Rational.ONE}).status());
    }
}
