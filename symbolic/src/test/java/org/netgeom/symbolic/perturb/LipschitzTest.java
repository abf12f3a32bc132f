package org.netgeom.symbolic.perturb;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.exact.ExactJacobian;
import org.netgeom.symbolic.linalg.Interval;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.RandomNets;
import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Lipschitz} against independent references:
 * <ol>
 *   <li>the maximum over the enumerated regions computed here: each region's Jacobian from
 *       reverse-mode {@link ExactJacobian} at its witness, ℓ∞/ℓ1 norms by this test's own row and
 *       column sums, and ℓ2 by this test's own exact positive-semidefiniteness check (all principal
 *       minors of λ·I − G ≥ 0, G the Gram matrix): λ_hi·I − G ⪰ 0 for every region, with λ_hi the
 *       upper end of σ₁²'s certified enclosure, and λ_lo·I − G not ⪰ 0 where it is attained;</li>
 *   <li>dense exact sampling on 1-D and 2-D nets (no enumeration): exact difference quotients
 *       ‖f(x) − f(y)‖/‖x − y‖ never exceed the constant and come within a stated gap of it;</li>
 *   <li>Telgarsky's tent map composed k times, whose slopes are ±2^k (closed form).</li>
 * </ol>
 */
class LipschitzTest {
    private static final Options OPT = Options.defaults();

    private static Domain box(int n, Rational lo, Rational hi) {
        Rational[] l = new Rational[n];
        Rational[] h = new Rational[n];
        Arrays.fill(l, lo);
        Arrays.fill(h, hi);
        return Domain.box(l, h);
    }

    private static Rational rowSum(Rational[][] a) {
        Rational best = Rational.ZERO;
        for (Rational[] row : a) {
            Rational s = Rational.ZERO;
            for (Rational x : row) {
                s = s.add(x.abs());
            }
            best = best.max(s);
        }
        return best;
    }

    private static Rational colSum(Rational[][] a) {
        Rational best = Rational.ZERO;
        for (int j = 0; j < a[0].length; j++) {
            Rational s = Rational.ZERO;
            for (Rational[] row : a) {
                s = s.add(row[j].abs());
            }
            best = best.max(s);
        }
        return best;
    }

    /** AᵀA (n × n). */
    private static Rational[][] gram(Rational[][] a) {
        int n = a[0].length;
        Rational[][] g = new Rational[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                Rational s = Rational.ZERO;
                for (Rational[] row : a) {
                    s = s.add(row[i].multiply(row[j]));
                }
                g[i][j] = s;
            }
        }
        return g;
    }

    private static Rational det(Rational[][] m) {
        int n = m.length;
        if (n == 0) {
            return Rational.ONE;
        }
        Rational s = Rational.ZERO;
        for (int j = 0; j < n; j++) {
            Rational[][] minor = new Rational[n - 1][n - 1];
            for (int r = 1; r < n; r++) {
                for (int c = 0, k = 0; c < n; c++) {
                    if (c != j) {
                        minor[r - 1][k++] = m[r][c];
                    }
                }
            }
            Rational t = m[0][j].multiply(det(minor));
            s = (j % 2 == 0) ? s.add(t) : s.subtract(t);
        }
        return s;
    }

    /** λ·I − G positive semidefinite: every principal minor ≥ 0 (Sylvester's criterion for PSD). */
    private static boolean psd(Rational lambda, Rational[][] g) {
        int n = g.length;
        for (int mask = 1; mask < (1 << n); mask++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if ((mask >> i & 1) == 1) {
                    idx.add(i);
                }
            }
            Rational[][] m = new Rational[idx.size()][idx.size()];
            for (int r = 0; r < idx.size(); r++) {
                for (int c = 0; c < idx.size(); c++) {
                    Rational v = g[idx.get(r)][idx.get(c)].negate();
                    m[r][c] = r == c ? v.add(lambda) : v;
                }
            }
            if (det(m).signum() < 0) {
                return false;
            }
        }
        return true;
    }

    /** Checks the result against the regions' Jacobians (ExactJacobian at each witness). */
    private static void againstRegions(String name, Model m, Domain d, Lipschitz.Result r) {
        RegionSet rs = Regions.enumerate(m, d, OPT);
        assertEquals(rs.activationRegions(), r.regions(), name);
        Interval s2 = r.l2Squared().enclose(120);
        Rational linf = Rational.ZERO;
        Rational l1 = Rational.ZERO;
        for (Region reg : rs.regions()) {
            Rational[][] j = ExactJacobian.at(m, reg.witness()).wrtInput();
            linf = linf.max(rowSum(j));
            l1 = l1.max(colSum(j));
            assertTrue(psd(s2.hi(), gram(j)), name + ": σ₁² of region " + reg.pattern() + " above the reported l2²");
        }
        assertEquals(linf, r.linf(), name + ": l-inf");
        assertEquals(l1, r.l1(), name + ": l1");
        // where each is attained: a witness strictly inside the domain, off every kink, with that norm
        Lipschitz.Attained[] at = {r.atLinf(), r.atL1(), r.atL2()};
        for (int k = 0; k < 3; k++) {
            Rational[] w = at[k].witness();
            assertTrue(d.containsStrictly(w), name);
            ExactForward.Result f = ExactForward.run(m, w);
            assertEquals(at[k].pattern(), f.pattern(), name);
            assertFalse(f.onKink(), name + ": witness on a kink");
            Rational[][] j = ExactJacobian.at(m, w).wrtInput();
            if (k == 0) {
                assertEquals(r.linf(), rowSum(j));
            } else if (k == 1) {
                assertEquals(r.l1(), colSum(j));
            } else {
                Rational[][] g = gram(j);
                Rational exact = r.l2Squared().exact();
                if (exact != null) {
                    assertTrue(psd(exact, g), name);
                    assertEquals(Rational.ZERO, det(minus(exact, g)), name + ": l2² is an eigenvalue of AᵀA where attained");
                } else {
                    assertFalse(psd(s2.lo(), g), name + ": λ_max(AᵀA) above the enclosure's lower end where attained");
                }
            }
        }
    }

    private static Rational[][] minus(Rational lambda, Rational[][] g) {
        Rational[][] m = new Rational[g.length][g.length];
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g.length; j++) {
                m[i][j] = (i == j ? lambda : Rational.ZERO).subtract(g[i][j]);
            }
        }
        return m;
    }

    @Test
    void maximumOverTheRegionsOfPlainResidualConcatAndConvNets() {
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[]{"mlp 2-[8,8]-2 relu", RandomNets.mlp(3, 2, new int[]{8, 8}, 2, "relu", 4), box(2, Rational.of(-1), Rational.ONE)});
        cases.add(new Object[]{"mlp 3-[6,6]-3 leaky", RandomNets.mlp(4, 3, new int[]{6, 6}, 3, "leaky_relu", 4), box(3, Rational.of(-1), Rational.ONE)});
        cases.add(new Object[]{"mlp 2-[6]-1 abs", RandomNets.mlp(5, 2, new int[]{6}, 1, "abs", 4), box(2, Rational.of(-2), Rational.ONE)});
        SplittableRandom r = new SplittableRandom(7);
        Model res = new Model("res", Shape.of(2), List.of(RandomNets.dense(r, 2, 3, 4), Layer.AbRelu.relu(null),
                new Layer.Residual("b", List.of(RandomNets.dense(r, 3, 3, 4), Layer.AbRelu.relu(null)), null),
                RandomNets.dense(r, 3, 2, 4)));
        cases.add(new Object[]{"residual", res, box(2, Rational.of(-1), Rational.ONE)});
        Model cat = new Model("cat", Shape.of(2), List.of(RandomNets.dense(r, 2, 3, 4), Layer.AbRelu.relu(null),
                new Layer.Concat("c", List.of(RandomNets.dense(r, 3, 2, 4), Layer.AbRelu.abs(null))), RandomNets.dense(r, 5, 2, 4)));
        cases.add(new Object[]{"concat", cat, box(2, Rational.of(-1), Rational.ONE)});
        Rational[] w = new Rational[4];
        for (int i = 0; i < 4; i++) {
            w[i] = Rational.of(r.nextInt(-4, 5), 4);
        }
        Model conv = new Model("conv", Shape.of(1, 2, 3), List.of(new Layer.Conv2d("c", Tensor.of(Shape.of(1, 1, 2, 2), w),
                Tensor.vector(Rational.of(1, 8)), Layer.Hw.of(1), Layer.Hw.of(0)), Layer.AbRelu.relu(null), new Layer.Flatten(null),
                RandomNets.dense(r, 2, 2, 4)));
        cases.add(new Object[]{"conv (6 inputs, LP mode)", conv, box(6, Rational.ZERO, Rational.ONE)});
        // a triangle
        cases.add(new Object[]{"mlp on a triangle", RandomNets.mlp(8, 2, new int[]{4, 4}, 2, "relu", 4),
                Domain.polytope(new Rational[][]{{Rational.of(-1), Rational.ZERO}, {Rational.ZERO, Rational.of(-1)}, {Rational.ONE, Rational.ONE}},
                        new Rational[]{Rational.ONE, Rational.ONE, Rational.ONE})});
        boolean irrational = false;
        for (Object[] c : cases) {
            Lipschitz.Result lr = Lipschitz.compute((Model) c[1], (Domain) c[2], OPT);
            againstRegions((String) c[0], (Model) c[1], (Domain) c[2], lr);
            irrational |= lr.l2Squared().exact() == null || lr.l2Squared().exact().sqrtExact() == null;
        }
        assertTrue(irrational, "some case has an irrational l2");
    }

    /** Telgarsky 2016: the tent map composed k times has slopes ±2^k on [0, 1]. */
    @Test
    void tentMapsHaveConstantTwoToTheK() {
        for (int k = 1; k <= 6; k++) {
            List<Layer> ls = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                ls.add(new Layer.Dense(null, Tensor.matrix(new Rational[][]{{Rational.ONE}, {Rational.ONE}}),
                        Tensor.vector(Rational.ZERO, Rational.of(-1, 2))));
                ls.add(Layer.AbRelu.relu(null));
                ls.add(new Layer.Dense(null, Tensor.matrix(new Rational[][]{{Rational.TWO, Rational.of(-4)}}), Tensor.vector(Rational.ZERO)));
                ls.add(Layer.AbRelu.relu(null));
            }
            Model m = new Model("tent", Shape.of(1), ls);
            Lipschitz.Result r = Lipschitz.compute(m, box(1, Rational.ZERO, Rational.ONE), OPT);
            Rational want = Rational.of(1L << k);
            assertEquals(want, r.linf());
            assertEquals(want, r.l1());
            assertEquals(want.multiply(want), r.l2Squared().exact());
            assertEquals(want, r.l2().exact());
            assertEquals(1L << k, r.regions());
        }
    }

    /**
     * f = 2 relu(relu(x)) − relu(relu(x + 1)) on [−1/2, 1]: on x &lt; 0 the second relu's first
     * unit has the pre-activation relu(x) ≡ 0 (every point there is a "kink" for ExactForward),
     * on x &gt; 0 it does not; the slopes are −1 and 1, so every norm is 1 and must be reported at a
     * witness with x &gt; 0, although the search finds x &lt; 0 first.
     */
    @Test
    void aWitnessOffEveryKinkIsPreferred() {
        Model m = new Model("dead", Shape.of(1), List.of(
                new Layer.Dense(null, Tensor.matrix(new Rational[][]{{Rational.ONE}, {Rational.ONE}}), Tensor.vector(Rational.ZERO, Rational.ONE)),
                Layer.AbRelu.relu(null), Layer.AbRelu.relu(null),
                new Layer.Dense(null, Tensor.matrix(new Rational[][]{{Rational.TWO, Rational.of(-1)}}), Tensor.vector(Rational.ZERO))));
        Lipschitz.Result r = Lipschitz.compute(m, Domain.box(new Rational[]{Rational.of(-1, 2)}, new Rational[]{Rational.ONE}), OPT);
        assertEquals(2, r.regions());
        assertEquals(Rational.ONE, r.linf());
        assertEquals(Rational.ONE, r.l2Squared().exact());
        for (Lipschitz.Attained a : new Lipschitz.Attained[]{r.atLinf(), r.atL1(), r.atL2()}) {
            assertTrue(a.witness()[0].signum() > 0, "the region x > 0");
            assertFalse(a.onKink());
            assertFalse(ExactForward.run(m, a.witness()).onKink());
        }
    }

    /** ‖v‖ in ℓ∞, ℓ1, and ℓ2 squared. */
    private static Rational[] norms(Rational[] v) {
        Rational inf = Rational.ZERO;
        Rational one = Rational.ZERO;
        Rational two = Rational.ZERO;
        for (Rational x : v) {
            inf = inf.max(x.abs());
            one = one.add(x.abs());
            two = two.add(x.multiply(x));
        }
        return new Rational[]{inf, one, two};
    }

    private static Rational[] diff(Rational[] a, Rational[] b) {
        Rational[] d = new Rational[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i].subtract(b[i]);
        }
        return d;
    }

    /**
     * Exact difference quotients between sample points: ‖Δf‖_∞/‖Δx‖_∞, ‖Δf‖_1/‖Δx‖_1 and
     * (‖Δf‖_2/‖Δx‖_2)²; returns the largest of each.
     */
    private static Rational[] quotients(Model m, List<Rational[][]> pairs) {
        Rational[] best = {Rational.ZERO, Rational.ZERO, Rational.ZERO};
        for (Rational[][] p : pairs) {
            Rational[] nf = norms(diff(ExactForward.eval(m, p[0]), ExactForward.eval(m, p[1])));
            Rational[] nx = norms(diff(p[0], p[1]));
            for (int k = 0; k < 3; k++) {
                best[k] = best[k].max(nf[k].divide(nx[k]));
            }
        }
        return best;
    }

    /**
     * 1-D (grid of 1024 steps) and 2-D (grid of 64 steps per side, neighbours along the axes and
     * diagonals, and 3000 short steps in random rational directions) nets: every quotient is at
     * most the constant (ℓ2: its square at most the upper end of σ₁²'s enclosure), and the largest
     * comes within 2% of it in 1-D, within 2% for ℓ∞/ℓ1 and 5% for ℓ2 in 2-D.
     */
    @Test
    void denseExactSamplingNeverExceedsAndComesClose() {
        for (int seed = 1; seed <= 3; seed++) {
            Model m1 = RandomNets.mlp(seed, 1, new int[]{6, 6}, 2, seed == 2 ? "abs" : "relu", 4);
            Lipschitz.Result r1 = Lipschitz.compute(m1, box(1, Rational.of(-1), Rational.ONE), OPT);
            List<Rational[][]> pairs = new ArrayList<>();
            int n = 1024;
            for (int i = 0; i < n; i++) {
                pairs.add(new Rational[][]{{Rational.of(2L * i - n, n)}, {Rational.of(2L * (i + 1) - n, n)}});
            }
            compare("1-D seed " + seed, r1, quotients(m1, pairs), Rational.of(98, 100), Rational.of(98, 100));

            Model m2 = RandomNets.mlp(seed + 10, 2, new int[]{5, 5}, 2, seed == 3 ? "leaky_relu" : "relu", 4);
            Lipschitz.Result r2 = Lipschitz.compute(m2, box(2, Rational.of(-1), Rational.ONE), OPT);
            List<Rational[][]> p2 = new ArrayList<>();
            int g = 64;
            int[][] steps = {{1, 0}, {0, 1}, {1, 1}, {1, -1}};
            for (int i = 0; i <= g; i++) {
                for (int j = 0; j <= g; j++) {
                    for (int[] s : steps) {
                        int i2 = i + s[0];
                        int j2 = j + s[1];
                        if (i2 <= g && j2 >= 0 && j2 <= g) {
                            p2.add(new Rational[][]{grid(i, j, g), grid(i2, j2, g)});
                        }
                    }
                }
            }
            Random rnd = new Random(seed);
            for (int k = 0; k < 3000; k++) {
                Rational[] x = {Rational.of(rnd.nextInt(2001) - 1000, 1000), Rational.of(rnd.nextInt(2001) - 1000, 1000)};
                Rational[] v = {Rational.of(rnd.nextInt(201) - 100, 100_000), Rational.of(rnd.nextInt(201) - 100, 100_000)};
                Rational[] y = {x[0].add(v[0]), x[1].add(v[1])};
                if (!v[0].isZero() || !v[1].isZero()) {
                    if (y[0].abs().compareTo(Rational.ONE) <= 0 && y[1].abs().compareTo(Rational.ONE) <= 0) {
                        p2.add(new Rational[][]{x, y});
                    }
                }
            }
            compare("2-D seed " + seed, r2, quotients(m2, p2), Rational.of(98, 100), Rational.of(95, 100));
        }
    }

    private static Rational[] grid(int i, int j, int g) {
        return new Rational[]{Rational.of(2L * i - g, g), Rational.of(2L * j - g, g)};
    }

    private static void compare(String name, Lipschitz.Result r, Rational[] q, Rational gap, Rational gap2) {
        Interval s2 = r.l2Squared().enclose(120);
        assertTrue(q[0].compareTo(r.linf()) <= 0, name + ": an l-inf quotient " + q[0] + " above " + r.linf());
        assertTrue(q[1].compareTo(r.l1()) <= 0, name + ": an l1 quotient " + q[1] + " above " + r.l1());
        assertTrue(q[2].compareTo(s2.hi()) <= 0, name + ": an l2 quotient above the constant");
        assertTrue(q[0].compareTo(r.linf().multiply(gap)) >= 0, name + ": l-inf sampled " + q[0].doubleValue() + " vs " + r.linf());
        assertTrue(q[1].compareTo(r.l1().multiply(gap)) >= 0, name + ": l1 sampled " + q[1].doubleValue() + " vs " + r.l1());
        assertTrue(q[2].compareTo(s2.lo().multiply(gap2).multiply(gap2)) >= 0,
                name + ": l2 sampled " + Math.sqrt(q[2].doubleValue()) + " vs " + r.l2().decimal(8));
    }
}
