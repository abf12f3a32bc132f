package org.netgeom.symbolic.regions;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.bounds.RegionBounds;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance case table: random rational networks (1-D to 4-D inputs; relu, leaky_relu, abs, hardtanh, maxout;
 * residual, batchnorm, concat; conv2d with max and average pooling on a 1×4×4 image, in all 16
 * input dimensions and on a 2-D slice) against independent references:
 * <ul>
 *   <li>brute force: every activation pattern, its inequalities derived by the test's own
 *       propagation ({@link RefNet}) and decided by the test's own exact LP ({@link RefLp}:
 *       Fourier–Motzkin or a textbook primal simplex): the same set of patterns, the same maps;</li>
 *   <li>ExactForward at every witness: the region's pattern, no kink, f(w) = A w + b, w strictly
 *       inside the domain;</li>
 *   <li>1-D and 2-D: dense exact sampling on a rational grid, each point's pattern found and its
 *       value given by its region's map;</li>
 *   <li>the count never exceeds the Serra et al. 2018 bound; pieces ≤ regions; the LP mode and the
 *       purely rational mode find the same regions.</li>
 * </ul>
 */
class RegionsCaseTest {

    record Case(String name, Model model, Rational[] lo, Rational[] hi, AffineMap slice, List<Rational[]> polytope) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Rational[] fill(int k, long num, long den) {
        Rational[] r = new Rational[k];
        Arrays.fill(r, Rational.of(num, den));
        return r;
    }

    static Case box(String name, Model m, int k, long lo, long hi) {
        return new Case(name, m, fill(k, lo, 1), fill(k, hi, 1), null, List.of());
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(box("1-D relu [3,3]", RandomNets.mlp(11, 1, new int[]{3, 3}, 1, "relu", 4), 1, -2, 2));
        c.add(box("1-D abs [4,2]", RandomNets.mlp(12, 1, new int[]{4, 2}, 1, "abs", 4), 1, -2, 2));
        c.add(box("1-D leaky [3,3] 2 outputs", RandomNets.mlp(13, 1, new int[]{3, 3}, 2, "leaky_relu", 4), 1, -3, 3));
        c.add(box("2-D relu [4,4]", RandomNets.mlp(21, 2, new int[]{4, 4}, 1, "relu", 4), 2, -1, 1));
        c.add(box("2-D relu [5,4] 3 outputs", RandomNets.mlp(22, 2, new int[]{5, 4}, 3, "relu", 8), 2, -2, 2));
        c.add(box("2-D leaky [5,3]", RandomNets.mlp(23, 2, new int[]{5, 3}, 1, "leaky_relu", 4), 2, -1, 1));
        c.add(box("2-D abs [3,3]", RandomNets.mlp(24, 2, new int[]{3, 3}, 1, "abs", 4), 2, -1, 1));
        c.add(box("3-D relu [4,3]", RandomNets.mlp(31, 3, new int[]{4, 3}, 1, "relu", 4), 3, -1, 1));
        c.add(box("3-D abs [3,3]", RandomNets.mlp(32, 3, new int[]{3, 3}, 1, "abs", 4), 3, -1, 1));
        c.add(box("4-D relu [4,3]", RandomNets.mlp(41, 4, new int[]{4, 3}, 1, "relu", 4), 4, -1, 1));
        c.add(box("4-D leaky [3,3]", RandomNets.mlp(42, 4, new int[]{3, 3}, 1, "leaky_relu", 4), 4, -1, 1));
        c.add(box("2-D residual relu", TestNets.residual(51, 2, 3, "relu", false), 2, -1, 1));
        c.add(box("3-D residual abs, dense shortcut", TestNets.residual(52, 3, 3, "abs", true), 3, -1, 1));
        c.add(box("2-D batchnorm", TestNets.batchnorm(61, 2, 3, 2), 2, -2, 2));
        c.add(box("2-D concat", TestNets.concat(71, 2), 2, -1, 1));
        c.add(box("1x4x4 conv2d 3x3 + maxpool (16-D)", TestNets.conv(81, 3, 1, 0, true), 16, -1, 1));
        c.add(box("1x4x4 conv2d pad 1 stride 2 + avgpool (16-D)", TestNets.conv(82, 3, 2, 1, false), 16, -1, 1));
        c.add(box("1-D hardtanh [3,3]", RandomNets.mlp(14, 1, new int[]{3, 3}, 1, "hardtanh", 4), 1, -3, 3));
        c.add(box("2-D hardtanh [3,3] 2 outputs", RandomNets.mlp(25, 2, new int[]{3, 3}, 2, "hardtanh", 4), 2, -2, 2));
        c.add(box("3-D hardtanh [3,2]", RandomNets.mlp(33, 3, new int[]{3, 2}, 1, "hardtanh", 4), 3, -2, 2));
        c.add(box("2-D residual hardtanh", TestNets.residual(53, 2, 2, "hardtanh", false), 2, -2, 2));
        c.add(box("1-D maxout k=3 [3,2]", TestNets.maxout(15, 1, new int[]{3, 2}, 3, 1), 1, -3, 3));
        c.add(box("2-D maxout k=2 [3,2]", TestNets.maxout(26, 2, new int[]{3, 2}, 2, 1), 2, -2, 2));
        c.add(box("2-D maxout k=4 [2] 2 outputs", TestNets.maxout(27, 2, new int[]{2}, 4, 2), 2, -2, 2));
        c.add(box("3-D maxout k=3 [2,2]", TestNets.maxout(34, 3, new int[]{2, 2}, 3, 1), 3, -1, 1));
        // a 2-D slice through the 16-D image space of the conv + maxpool net
        Rational[] origin = new Rational[16];
        Rational[] d1 = new Rational[16];
        Rational[] d2 = new Rational[16];
        for (int i = 0; i < 16; i++) {
            origin[i] = Rational.of((i % 5) - 2, 8);
            d1[i] = Rational.of(i % 3 - 1, 1);
            d2[i] = Rational.of((i * 7) % 5 - 2, 2);
        }
        c.add(new Case("1x4x4 conv2d + maxpool, 2-D slice", TestNets.conv(83, 3, 1, 0, true), fill(2, -1, 1), fill(2, 1, 1),
                AffineMap.slice(origin, d1, d2), List.of()));
        // a triangle domain {x >= -1, y >= -1, x + y <= 1/2} (bounding box [-1, 3/2]^2)
        List<Rational[]> tri = new ArrayList<>();
        tri.add(new Rational[]{Rational.MINUS_ONE, Rational.MINUS_ONE, Rational.of(1, 2)});
        c.add(new Case("2-D relu [4,3] on a triangle", RandomNets.mlp(91, 2, new int[]{4, 3}, 1, "relu", 4),
                fill(2, -1, 1), fill(2, 3, 2), null, tri));
        return c.stream();
    }

    static Domain domainOf(Case c) {
        if (c.polytope().isEmpty()) {
            return Domain.box(c.lo(), c.hi());
        }
        // the box rows and the extra rows as A u <= b
        int k = c.lo().length;
        List<Rational[]> a = new ArrayList<>();
        List<Rational> b = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            Rational[] lo = fill(k, 0, 1);
            lo[j] = Rational.MINUS_ONE;
            a.add(lo);
            b.add(c.lo()[j].negate());
        }
        for (Rational[] row : c.polytope()) {          // a.u + c > 0  <=>  -a.u < c
            Rational[] r = new Rational[k];
            for (int j = 0; j < k; j++) {
                r[j] = row[j].negate();
            }
            a.add(r);
            b.add(row[k]);
        }
        return Domain.polytope(a.toArray(new Rational[0][]), b.toArray(new Rational[0]));
    }

    static Rational[][] inputRows(Case c) {
        int k = c.lo().length;
        AffineMap m = c.slice() != null ? c.slice() : AffineMap.identity(k);
        return BruteForceRef.rows(m);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesBruteForceAndSampling(Case c) {
        Domain dom = domainOf(c);
        RegionSet rs = c.slice() == null ? Regions.enumerate(c.model(), dom, Options.defaults())
                : Regions.enumerate(c.model(), c.slice(), dom, Options.defaults());
        Map<String, Rational[][]> ref = BruteForceRef.regions(c.model(), inputRows(c), c.lo(), c.hi(), c.polytope());

        Map<String, Region> found = new HashMap<>();
        for (Region r : rs.regions()) {
            assertFalse(found.containsKey(r.pattern()), "pattern listed twice: " + r.pattern());
            found.put(r.pattern(), r);
        }
        assertEquals(new TreeSet<>(ref.keySet()), new TreeSet<>(found.keySet()), "activation patterns vs brute force");
        for (Map.Entry<String, Rational[][]> e : ref.entrySet()) {
            assertTrue(Arrays.deepEquals(e.getValue(), BruteForceRef.rows(found.get(e.getKey()).map())),
                    "map of " + e.getKey());
        }
        // witnesses, re-checked by the exact forward pass
        for (Region r : rs.regions()) {
            Rational[] w = r.witness();
            assertTrue(dom.containsStrictly(w), "witness inside the domain");
            ExactForward.Result f = ExactForward.run(c.model(), r.inputWitness());
            assertEquals(r.pattern(), f.pattern(), "pattern at the witness");
            // strictly inside by the reference's own inequalities for this pattern
            RefNet.Result rr = RefNet.under(c.model(), r.pattern(), inputRows(c));
            for (Rational[] g : rr.inequalities()) {
                Rational v = g[w.length];
                for (int j = 0; j < w.length; j++) {
                    v = v.add(g[j].multiply(w[j]));
                }
                assertTrue(v.signum() > 0, "witness strictly inside the reference inequalities of " + r.pattern());
            }
            // a zero pre-activation or a tie at the witness only where a unit is identically zero
            // (or two pooled entries identical) on the whole region
            assertTrue(!f.onKink() || rr.degenerate(), "witness on a kink of a non-degenerate region");
            assertArrayEquals(f.output(), r.map().apply(w), "f(w) = A w + b");
        }
        // the Serra bound (only meaningful in the model's own input space)
        if (c.slice() == null) {
            assertTrue(RegionBounds.of(c.model()).serra().compareTo(java.math.BigInteger.valueOf(rs.activationRegions())) >= 0,
                    "count within the Serra bound");
        }
        assertTrue(rs.affinePieces() >= 1 && rs.affinePieces() <= rs.activationRegions());
        // other representations and arithmetics find the same regions
        int k = dom.dimension();
        if (k <= 4) {
            Options.Mode other = k <= Options.VERTEX_MODE_MAX_DIMENSION ? Options.Mode.LP : Options.Mode.VERTEX;
            assertEquals(found.keySet(), patterns(c, dom, Options.defaults().withMode(other)), "mode " + other);
        }
        assertEquals(found.keySet(), patterns(c, dom, Options.defaults().withArithmetic(Options.Arithmetic.EXACT_RATIONAL)),
                "purely rational arithmetic");
        if (k <= 2) {
            sample(c, dom, found);
        }
    }

    private static java.util.Set<String> patterns(Case c, Domain dom, Options o) {
        RegionSet rs = c.slice() == null ? Regions.enumerate(c.model(), dom, o) : Regions.enumerate(c.model(), c.slice(), dom, o);
        java.util.Set<String> s = new java.util.HashSet<>();
        for (Region r : rs.regions()) {
            s.add(r.pattern());
        }
        return s;
    }

    /** Dense exact sampling: every grid point off the kinks lies in a found region, with its value. */
    private static void sample(Case c, Domain dom, Map<String, Region> found) {
        int k = dom.dimension();
        int n = k == 1 ? 1999 : 79;
        Rational[] lo = dom.lower();
        Rational[] hi = dom.upper();
        AffineMap in = c.slice() != null ? c.slice() : AffineMap.identity(k);
        int[] idx = new int[k];
        int hits = 0;
        while (true) {
            Rational[] u = new Rational[k];
            for (int j = 0; j < k; j++) {
                u[j] = lo[j].add(hi[j].subtract(lo[j]).multiply(Rational.of(idx[j] + 1, n + 1)));
            }
            if (dom.containsStrictly(u)) {
                ExactForward.Result f = ExactForward.run(c.model(), in.apply(u));
                if (!f.onKink()) {
                    Region r = found.get(f.pattern());
                    assertNotNull(r, "grid point " + Arrays.toString(u) + " has pattern " + f.pattern() + ", not found");
                    assertArrayEquals(f.output(), r.map().apply(u));
                    hits++;
                }
            }
            int j = 0;
            while (j < k && ++idx[j] == n) {
                idx[j++] = 0;
            }
            if (j == k) {
                break;
            }
        }
        assertTrue(hits > 0);
    }
}
