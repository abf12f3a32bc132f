package org.netgeom.symbolic.verify;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.RandomNets;
import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.Regions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code verify} against an independent reference on 168 seeded properties over the 24 nets of
 * {@link VerifyNets} (MLPs with relu, leaky relu and abs; residual; concat + batchnorm; conv2d
 * with max and average pooling), each written as VNN-LIB text and read back.
 *
 * <p>The reference: for a conjunction of output constraints g_i(y) = a_i·y + b_i ≥ 0, the margin
 * h(x) = min_i g_i(f(x)) is affine on every activation region of the net extended by one relu
 * unit per pair i &lt; j with pre-activation g_i(f(x)) − g_j(f(x)) (on such a region f is affine
 * and the order of the g_i is fixed), so max h over the box is attained at a vertex of one of these
 * regions: the regions engine (vertex mode) lists them, and H* = max over all vertices of h,
 * evaluated by {@link ExactForward}. The property is sat iff H* ≥ 0. Shifting every b_i by s
 * shifts h by s, so one enumeration gives three properties: s = −H* (sat, margin exactly 0),
 * s = −H* − 1/64 (unsat by 1/64) and s = −H* + 1/64 (sat). A disjunction of two terms is sat iff
 * one of them is.
 */
class VerifyTest {

    /** Properties found sat by the attack. */
    static final int[] ATTACKS = {0};

    /** A term: rows a_i, offsets b_i, and its reference maximum margin H*. */
    record Conj(Rational[][] a, Rational[] b, Rational best) {
        Conj shift(Rational s) {
            Rational[] b2 = new Rational[b.length];
            for (int i = 0; i < b.length; i++) {
                b2[i] = b[i].add(s);
            }
            return new Conj(a, b2, best.add(s));
        }
    }

    static Rational[] randomRow(SplittableRandom r, int k) {
        Rational[] a = new Rational[k];
        boolean zero = true;
        while (zero) {
            for (int j = 0; j < k; j++) {
                a[j] = Rational.of(r.nextInt(-2, 3), 2);
                zero &= a[j].isZero();
            }
        }
        return a;
    }

    /** H* = max over the box of min_i (a_i·f(x) + b_i), from the vertices of the regions of the extended net. */
    static Rational reference(Model m, Domain d, Rational[][] a, Rational[] b) {
        return reference(m, null, null, d, a, b);
    }

    /**
     * As above on the slice x = origin + Σ_k u_k e_{free[k]} over the box d of u (the regions
     * engine's slice mode; origin and free null: the whole input space).
     */
    static Rational reference(Model m, Rational[] origin, int[] free, Domain d, Rational[][] a, Rational[] b) {
        List<Layer> layers = new ArrayList<>(m.layers());
        int k = m.output().size();
        List<Rational[]> w = new ArrayList<>();
        List<Rational> bias = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                Rational[] row = new Rational[k];
                for (int c = 0; c < k; c++) {
                    row[c] = a[i][c].subtract(a[j][c]);
                }
                w.add(row);
                bias.add(b[i].subtract(b[j]));
            }
        }
        Model ext = m;
        if (!w.isEmpty()) {
            layers.add(new Layer.Dense("pairs", Tensor.matrix(w.toArray(new Rational[0][])), Tensor.vector(bias.toArray(new Rational[0]))));
            layers.add(RandomNets.activation("relu"));
            ext = new Model(m.name() + "+pairs", m.input(), layers);
        }
        Rational best = null;
        AffineMap map = AffineMap.identity(m.input().size());
        if (origin != null) {
            Rational[][] dirs = new Rational[free.length][origin.length];
            for (int q = 0; q < free.length; q++) {
                Arrays.fill(dirs[q], Rational.ZERO);
                dirs[q][free[q]] = Rational.ONE;
            }
            map = AffineMap.slice(origin, dirs);
        }
        for (Region reg : Regions.enumerate(ext, map, d, Options.defaults().withMode(Options.Mode.VERTEX)).regions()) {
            for (Rational[] u : reg.vertices()) {
                Rational[] v = u;
                if (origin != null) {
                    assertEquals(free.length, u.length);
                    v = origin.clone();
                    for (int q = 0; q < free.length; q++) {
                        v[free[q]] = v[free[q]].add(u[q]);
                    }
                }
                Rational h = margin(ExactForward.eval(m, v), a, b);
                best = best == null || h.compareTo(best) > 0 ? h : best;
            }
        }
        return best;
    }

    static Rational margin(Rational[] y, Rational[][] a, Rational[] b) {
        Rational h = null;
        for (int i = 0; i < a.length; i++) {
            Rational s = b[i];
            for (int j = 0; j < y.length; j++) {
                s = s.add(a[i][j].multiply(y[j]));
            }
            h = h == null || s.compareTo(h) < 0 ? s : h;
        }
        return h;
    }

    static String lit(Rational q) {
        return q.isInteger() ? q.toString() : "(/ " + q.numerator() + " " + q.denominator() + ")";
    }

    /** The property "some term holds" as VNN-LIB text (inputs flattened, X_j in the box). */
    static String vnnlib(int n, int k, Domain d, List<Conj> terms) {
        return vnnlib(n, k, d.lower(), d.upper(), terms);
    }

    static String vnnlib(int n, int k, Rational[] lo, Rational[] hi, List<Conj> terms) {
        StringBuilder sb = new StringBuilder("; generated by VerifyTest\n");
        for (int j = 0; j < n; j++) {
            sb.append("(declare-const X_").append(j).append(" Real)\n");
        }
        for (int j = 0; j < k; j++) {
            sb.append("(declare-const Y_").append(j).append(" Real)\n");
        }
        for (int j = 0; j < n; j++) {
            sb.append("(assert (>= X_").append(j).append(' ').append(lit(lo[j])).append("))\n");
            sb.append("(assert (<= X_").append(j).append(' ').append(lit(hi[j])).append("))\n");
        }
        sb.append("(assert (or");
        for (Conj t : terms) {
            sb.append("\n  (and");
            for (int i = 0; i < t.a().length; i++) {
                sb.append(" (>= (+");
                for (int j = 0; j < k; j++) {
                    sb.append(" (* ").append(lit(t.a()[i][j])).append(" Y_").append(j).append(')');
                }
                sb.append(' ').append(lit(t.b()[i])).append(") 0)");
            }
            sb.append(')');
        }
        return sb.append("))\n").toString();
    }

    @Test
    void agreesWithTheRegionEnumerationOn168Properties() {
        ATTACKS[0] = 0;
        int properties = 0;
        int sat = 0;
        int conjunctions = 0;
        long nodes = 0;
        Rational eps = Rational.of(1, 64);
        for (int t = 0; t < 24; t++) {
            Model m = VerifyNets.net(t);
            Domain d = RangeTest.box(m, t);
            int n = Graph.of(m).inputs();
            int k = m.output().size();
            SplittableRandom r = new SplittableRandom(500 + t);
            List<Conj> sets = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                int rows = s == 0 ? 1 : Math.min(3, 1 + r.nextInt(1, 3));
                Rational[][] a = new Rational[rows][];
                Rational[] b = new Rational[rows];
                for (int i = 0; i < rows; i++) {
                    if (s == 1 && k >= 2 && t % 3 == 0 && i < k - 1) {
                        // VNN-COMP's kind: "Y_0 is minimal" (Y_{i+1} - Y_0 >= 0)
                        a[i] = new Rational[k];
                        Arrays.fill(a[i], Rational.ZERO);
                        a[i][0] = Rational.MINUS_ONE;
                        a[i][i + 1] = Rational.ONE;
                        b[i] = Rational.ZERO;
                    } else {
                        boolean dup = true;
                        while (dup) {
                            a[i] = randomRow(r, k);
                            b[i] = Rational.of(r.nextInt(-4, 5), 4);
                            dup = false;
                            for (int p = 0; p < i; p++) {
                                dup |= Arrays.equals(a[p], a[i]);
                            }
                        }
                    }
                }
                sets.add(new Conj(a, b, reference(m, d, a, b)));
            }
            List<List<Conj>> props = new ArrayList<>();
            for (Conj c : sets) {
                props.add(List.of(c.shift(c.best().negate())));
                props.add(List.of(c.shift(c.best().negate().subtract(eps))));
                props.add(List.of(c.shift(c.best().negate().add(eps))));
            }
            // a disjunction: both terms unsat (t even) or the second one sat by a margin of 0 (t odd)
            Conj a0 = sets.get(0).shift(sets.get(0).best().negate().subtract(eps));
            Conj b0 = sets.get(1).shift(sets.get(1).best().negate().subtract(t % 2 == 0 ? eps : Rational.ZERO));
            props.add(List.of(a0, b0));
            for (List<Conj> p : props) {
                String what = m.name() + " #" + t + " property " + properties;
                nodes += check(m, d, n, k, p, what);
                properties++;
                conjunctions += p.stream().anyMatch(c -> c.a().length > 1) ? 1 : 0;
                boolean truth = p.stream().anyMatch(c -> c.best().signum() >= 0);
                sat += truth ? 1 : 0;
            }
        }
        assertEquals(168, properties);
        assertTrue(ATTACKS[0] > 10 && ATTACKS[0] < sat, "the attack finds some counterexamples, not all: " + ATTACKS[0]);
        System.out.println("VerifyTest: " + properties + " properties, " + sat + " sat, " + conjunctions
                + " with a conjunction of several constraints, " + nodes + " branch-and-bound nodes, " + ATTACKS[0]
                + " sat ones found by the attack");
        assertTrue(conjunctions >= 60, "conjunctions: " + conjunctions);
        assertTrue(nodes > 10L * properties, "the searches branch: " + nodes + " nodes");
        assertTrue(sat > 40 && sat < 128, "a mix of sat and unsat: " + sat);
    }

    /**
     * Runs verify on the property, with the branch and bound alone and with the float attack first,
     * and checks both against the reference; returns the nodes searched by the first.
     */
    static long check(Model m, Domain d, int n, int k, List<Conj> terms, String what) {
        VnnSpec spec = VnnLib.read(vnnlib(n, k, d, terms), n, k);
        assertEquals(terms.size(), spec.terms().size(), what);
        long nodes = check(m, d, n, terms, spec, false, BranchAndBound.Limits.defaults(), what + " (branch and bound only)");
        check(m, d, n, terms, spec, true, BranchAndBound.Limits.defaults(), what + " (attack first)");
        check(m, d, n, terms, spec, false, BranchAndBound.Limits.defaults().withInputSplits(2 * n), what + " (input splits)");
        return nodes;
    }

    static long check(Model m, Domain d, int n, List<Conj> terms, VnnSpec spec, boolean attack, BranchAndBound.Limits lim,
                      String what) {
        Verify.Outcome o = Verify.run(m, spec, lim, attack, null);
        int first = -1;
        for (int i = 0; i < terms.size() && first < 0; i++) {
            first = terms.get(i).best().signum() >= 0 ? i : -1;
        }
        if (first < 0) {
            assertEquals(Verify.Answer.UNSAT, o.answer(), what);
            assertNull(o.x(), what);
            for (Verify.TermResult tr : o.terms()) {
                Rational truth = terms.get(tr.term()).best();
                assertEquals(Verify.Answer.UNSAT, tr.answer(), what);
                assertTrue(tr.marginUpper().signum() < 0 && tr.marginUpper().compareTo(truth) >= 0,
                        what + ": upper bound " + tr.marginUpper() + " vs the true margin " + truth);
            }
        } else {
            assertEquals(Verify.Answer.SAT, o.answer(), what);
            // a sat term found may be any sat one that comes first in the search order: the first sat term
            assertEquals(first, o.term(), what);
            Conj c = terms.get(first);
            for (int j = 0; j < n; j++) {
                assertTrue(o.x()[j].compareTo(d.lower()[j]) >= 0 && o.x()[j].compareTo(d.upper()[j]) <= 0, what + " in the box");
            }
            Rational[] y = ExactForward.eval(m, o.x());
            assertEquals(Arrays.asList(y), Arrays.asList(o.y()), what);
            Rational h = margin(y, c.a(), c.b());
            assertTrue(h.signum() >= 0 && h.compareTo(c.best()) <= 0, what + ": counterexample margin " + h);
            Verify.TermResult tr = o.terms().get(first);
            if (tr.by().equals(Verify.BY_ATTACK)) {
                assertTrue(attack, what);
                ATTACKS[0]++;
            } else {
                assertEquals(Verify.BY_SEARCH, tr.by(), what);
                assertNotNull(tr.tree(), what);
            }
        }
        return o.nodes();
    }

    /**
     * Boxes that fix an input (lower = upper bound) on the vector-input nets: verify folds the fixed
     * inputs into a leading dense layer; the reference enumerates the regions of the original net on
     * the slice through the fixed values (regions engine, slice mode). A box fixing every input is
     * one point. Conv nets (input [1, 2, 2]) refuse a partly fixed box with SPEC_UNSUPPORTED.
     */
    @Test
    void fixedInputsAgreeWithTheSliceEnumeration() {
        int properties = 0;
        Rational eps = Rational.of(1, 64);
        for (int t = 0; t < 24; t++) {
            Model m = VerifyNets.net(t);
            Domain d = RangeTest.box(m, t);
            int n = Graph.of(m).inputs();
            int k = m.output().size();
            SplittableRandom r = new SplittableRandom(900 + t);
            Rational[] lo = d.lower().clone();
            Rational[] hi = d.upper().clone();
            int fix = r.nextInt(n);
            Rational c = lo[fix].add(hi[fix]).divide(Rational.TWO).add(Rational.of(r.nextInt(-1, 2), 8));
            lo[fix] = c;
            hi[fix] = c;
            Rational[][] a = {randomRow(r, k), randomRow(r, k)};
            while (Arrays.equals(a[0], a[1])) {
                a[1] = randomRow(r, k);
            }
            Rational[] b = {Rational.of(r.nextInt(-4, 5), 4), Rational.of(r.nextInt(-4, 5), 4)};
            String what = m.name() + " #" + t + " fixing X_" + fix + " = " + c;
            if (m.input().rank() != 1) {
                VnnSpec spec = VnnLib.read(vnnlib(n, k, lo, hi, List.of(new Conj(a, b, Rational.ZERO))), n, k);
                org.netgeom.ir.NetgeomException e = org.junit.jupiter.api.Assertions.assertThrows(org.netgeom.ir.NetgeomException.class,
                        () -> Verify.run(m, spec, BranchAndBound.Limits.defaults(), null), what);
                assertEquals(org.netgeom.symbolic.SymbolicError.SPEC_UNSUPPORTED, e.code(), what);
                continue;
            }
            int[] free = new int[n - 1];
            Rational[] flo = new Rational[n - 1];
            Rational[] fhi = new Rational[n - 1];
            Rational[] origin = new Rational[n];
            Arrays.fill(origin, Rational.ZERO);
            origin[fix] = c;
            for (int j = 0, q = 0; j < n; j++) {
                if (j != fix) {
                    free[q] = j;
                    flo[q] = lo[j];
                    fhi[q++] = hi[j];
                }
            }
            Rational best = reference(m, origin, free, Domain.box(flo, fhi), a, b);
            Conj base = new Conj(a, b, best);
            for (Rational shift : new Rational[]{best.negate(), best.negate().subtract(eps), best.negate().add(eps)}) {
                Conj p = base.shift(shift);
                VnnSpec spec = VnnLib.read(vnnlib(n, k, lo, hi, List.of(p)), n, k);
                for (int mode = 0; mode < 3; mode++) {
                    boolean attack = mode == 1;
                    BranchAndBound.Limits lim = mode == 2 ? BranchAndBound.Limits.defaults().withInputSplits(3) : BranchAndBound.Limits.defaults();
                    Verify.Outcome o = Verify.run(m, spec, lim, attack, null);
                    String w = what + " shift " + shift + (attack ? " (attack)" : mode == 2 ? " (input splits)" : "");
                    assertEquals(p.best().signum() >= 0 ? Verify.Answer.SAT : Verify.Answer.UNSAT, o.answer(), w);
                    if (o.answer() == Verify.Answer.SAT) {
                        assertEquals(c, o.x()[fix], w);
                        Rational h = margin(ExactForward.eval(m, o.x()), p.a(), p.b());
                        assertTrue(h.signum() >= 0, w);
                    } else {
                        Rational up = o.terms().get(0).marginUpper();
                        assertTrue(up.signum() < 0 && up.compareTo(p.best()) >= 0, w + ": " + up);
                    }
                }
                properties++;
            }
            // every input fixed: one point
            Rational[] pt = new Rational[n];
            for (int j = 0; j < n; j++) {
                pt[j] = lo[j].add(hi[j]).divide(Rational.TWO);
            }
            Rational h = margin(ExactForward.eval(m, pt), a, b);
            for (Rational shift : new Rational[]{h.negate(), h.negate().subtract(eps)}) {
                Conj p = new Conj(a, b, h).shift(shift);
                Verify.Outcome o = Verify.run(m, VnnLib.read(vnnlib(n, k, pt, pt, List.of(p)), n, k), BranchAndBound.Limits.defaults(), null);
                assertEquals(shift.equals(h.negate()) ? Verify.Answer.SAT : Verify.Answer.UNSAT, o.answer(), what + " point");
                assertEquals(Verify.BY_POINT, o.terms().get(0).by(), what);
                properties++;
            }
        }
        assertEquals(18 * 5, properties);
    }

    /** Exact interval arithmetic through dense and relu layers (the test's own, not the search's relaxation). */
    static Rational[][] exactIntervals(Model m, Rational[] lo, Rational[] hi) {
        Rational[] l = lo.clone();
        Rational[] h = hi.clone();
        for (Layer layer : m.layers()) {
            if (layer instanceof Layer.Dense dn) {
                Rational[] nl = new Rational[dn.out()];
                Rational[] nh = new Rational[dn.out()];
                for (int i = 0; i < dn.out(); i++) {
                    Rational[] w = dn.weight().row(i);
                    Rational a = dn.bias() == null ? Rational.ZERO : dn.bias().rational(i);
                    Rational b = a;
                    for (int j = 0; j < w.length; j++) {
                        a = a.add(w[j].signum() >= 0 ? w[j].multiply(l[j]) : w[j].multiply(h[j]));
                        b = b.add(w[j].signum() >= 0 ? w[j].multiply(h[j]) : w[j].multiply(l[j]));
                    }
                    nl[i] = a;
                    nh[i] = b;
                }
                l = nl;
                h = nh;
            } else {
                for (int i = 0; i < l.length; i++) {
                    l[i] = l[i].max(Rational.ZERO);
                    h[i] = h[i].max(Rational.ZERO);
                }
            }
        }
        return new Rational[][]{l, h};
    }

    /**
     * 32 inputs (the attack's simultaneous-perturbation path): "Y_0 >= f(c)_0 - 1/100" is sat (the
     * box centre c is a witness), "Y_0 >= U + 1" is unsat for U the exact interval bound of Y_0.
     */
    @Test
    void manyInputsWitnessAndIntervalReferences() {
        for (int seed = 1; seed <= 3; seed++) {
            Model m = RandomNets.mlp(seed, 32, new int[]{12, 8}, 2, "relu", 8);
            Rational[] lo = new Rational[32];
            Rational[] hi = new Rational[32];
            Arrays.fill(lo, Rational.of(-1, 4));
            Arrays.fill(hi, Rational.of(1, 4));
            Rational[] centre = new Rational[32];
            Arrays.fill(centre, Rational.ZERO);
            Rational y0 = ExactForward.eval(m, centre)[0];
            Rational upper = exactIntervals(m, lo, hi)[1][0];
            Rational[][] row = {{Rational.ONE, Rational.ZERO}};
            for (boolean attack : new boolean[]{true, false}) {
                Conj satP = new Conj(row, new Rational[]{y0.negate().add(Rational.of(1, 100))}, Rational.ZERO);
                Verify.Outcome o = Verify.run(m, VnnLib.read(vnnlib(32, 2, lo, hi, List.of(satP)), 32, 2), BranchAndBound.Limits.defaults(),
                        attack, null);
                assertEquals(Verify.Answer.SAT, o.answer(), "seed " + seed);
                assertTrue(ExactForward.eval(m, o.x())[0].compareTo(y0.subtract(Rational.of(1, 100))) >= 0);
                Conj unsatP = new Conj(row, new Rational[]{upper.negate().subtract(Rational.ONE)}, Rational.ZERO);
                Verify.Outcome u = Verify.run(m, VnnLib.read(vnnlib(32, 2, lo, hi, List.of(unsatP)), 32, 2), BranchAndBound.Limits.defaults(),
                        attack, null);
                assertEquals(Verify.Answer.UNSAT, u.answer(), "seed " + seed);
            }
        }
    }
}
