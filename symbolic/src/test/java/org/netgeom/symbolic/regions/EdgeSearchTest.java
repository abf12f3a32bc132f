package org.netgeom.symbolic.regions;

import org.netgeom.ir.IrError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.netgeom.symbolic.regions.TestNets.q;

/**
 * The edge search ({@code Regions.Search.EDGES}) against two independent references: the exact
 * cell search (a different algorithm: exact depth-first splitting) and, on small nets, the test's
 * own brute force ({@link BruteForceRef}: every pattern, own propagation, own exact LP). Same
 * patterns, same exact maps, witnesses re-checked by ExactForward, same affine-piece partition;
 * seeded random nets in 2-D, 3-D and 4-D, residual and concat nets, a 2-D slice, and degenerate
 * arrangements (four lines through one point, a line through a box corner, parallel lines, dead
 * and identically-zero units).
 */
class EdgeSearchTest {

    record Case(String name, Model model, int k, AffineMap slice, boolean brute) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Model degenerate() {
        // units: x, y, x+y, x-y (four lines through 0), x - 1/2, x + 1/2 (parallel to x), x + y - 2
        // (through the corner (1, 1)), 0*x - 1 (dead), 0 (identically zero)
        Rational[][] w = {{q(1), q(0)}, {q(0), q(1)}, {q(1), q(1)}, {q(1), q(-1)}, {q(1), q(0)}, {q(1), q(0)}, {q(1), q(1)},
                {q(0), q(0)}, {q(0), q(0)}};
        Rational[] b = {q(0), q(0), q(0), q(0), q(-1, 2), q(1, 2), q(-2), q(-1), q(0)};
        // second layer: combinations whose bent lines pass through existing vertices
        Rational[][] w2 = {{q(1), q(-1), q(0), q(0), q(0), q(0), q(0), q(1), q(1)},
                {q(0), q(0), q(1), q(0), q(-2), q(0), q(0), q(0), q(0)},
                {q(1), q(1), q(0), q(-1), q(0), q(0), q(0), q(0), q(0)}};
        Rational[] b2 = {q(0), q(0), q(-1, 4)};
        Rational[][] w3 = {{q(1), q(-1), q(1)}};
        return new Model("degenerate", Shape.of(2), List.of(TestNets.dense(w, b), RandomNets.activation("relu"),
                TestNets.dense(w2, b2), RandomNets.activation("relu"), TestNets.dense(w3, q(0))));
    }

    static Model degenerate3() {
        // three planes through the origin and one through the corner (1,1,1), a parallel pair, a dead unit
        Rational[][] w = {{q(1), q(0), q(0)}, {q(0), q(1), q(0)}, {q(1), q(1), q(1)}, {q(1), q(1), q(1)}, {q(1), q(0), q(0)},
                {q(0), q(0), q(0)}};
        Rational[] b = {q(0), q(0), q(0), q(-3), q(1, 2), q(-1)};
        Rational[][] w2 = {{q(1), q(-1), q(1), q(0), q(0), q(1)}, {q(0), q(1), q(-1), q(1), q(1), q(0)}};
        return new Model("degenerate3", Shape.of(3), List.of(TestNets.dense(w, b), RandomNets.activation("relu"),
                TestNets.dense(w2, q(0), q(-1, 8)), RandomNets.activation("abs"), TestNets.dense(new Rational[][]{{q(1), q(2)}}, q(0))));
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("degenerate 2-D (concurrent, through a corner, parallel, dead, zero)", degenerate(), 2, null, false));
        c.add(new Case("degenerate 3-D", degenerate3(), 3, null, false));
        for (int s = 1; s <= 4; s++) {
            c.add(new Case("2-D relu [4,3] seed " + s, RandomNets.mlp(s, 2, new int[]{4, 3}, 1, "relu", 4), 2, null, true));
            c.add(new Case("2-D relu [12,12,12] seed " + s, RandomNets.mlp(100 + s, 2, new int[]{12, 12, 12}, 2, "relu", 16), 2, null, false));
            c.add(new Case("3-D relu [8,8] seed " + s, RandomNets.mlp(200 + s, 3, new int[]{8, 8}, 1, "relu", 16), 3, null, false));
            c.add(new Case("4-D relu [6,5] seed " + s, RandomNets.mlp(300 + s, 4, new int[]{6, 5}, 1, "relu", 16), 4, null, false));
        }
        c.add(new Case("2-D leaky [4,3]", RandomNets.mlp(7, 2, new int[]{4, 3}, 1, "leaky_relu", 4), 2, null, true));
        c.add(new Case("3-D abs [3,3]", RandomNets.mlp(8, 3, new int[]{3, 3}, 1, "abs", 4), 3, null, true));
        c.add(new Case("4-D relu [4,3]", RandomNets.mlp(9, 4, new int[]{4, 3}, 1, "relu", 4), 4, null, true));
        c.add(new Case("2-D residual", TestNets.residual(51, 2, 3, "relu", false), 2, null, true));
        c.add(new Case("3-D residual abs, dense shortcut", TestNets.residual(52, 3, 3, "abs", true), 3, null, false));
        c.add(new Case("2-D concat", TestNets.concat(71, 2), 2, null, false));
        c.add(new Case("2-D batchnorm", TestNets.batchnorm(61, 2, 3, 2), 2, null, false));
        Rational[] o = new Rational[6];
        Rational[] d1 = new Rational[6];
        Rational[] d2 = new Rational[6];
        for (int i = 0; i < 6; i++) {
            o[i] = Rational.of(i % 3 - 1, 4);
            d1[i] = Rational.of(i % 2 == 0 ? 1 : -1, 1);
            d2[i] = Rational.of(i - 2, 3);
        }
        c.add(new Case("2-D slice of a 6-input net", RandomNets.mlp(11, 6, new int[]{10, 8}, 1, "relu", 16), 2,
                AffineMap.slice(o, d1, d2), false));
        return c.stream();
    }

    static Domain box(int k) {
        Rational[] lo = new Rational[k];
        Rational[] hi = new Rational[k];
        Arrays.fill(lo, Rational.MINUS_ONE);
        Arrays.fill(hi, Rational.ONE);
        return Domain.box(lo, hi);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void edgesEqualCellsAndBruteForce(Case c) {
        Domain d = box(c.k());
        AffineMap in = c.slice() != null ? c.slice() : AffineMap.identity(c.k());
        assertEquals(Regions.Search.EDGES, Regions.resolve(c.model(), in, d, Options.defaults(), Regions.Search.EDGES));
        assertEquals(Regions.Search.CELLS, Regions.resolve(c.model(), in, d, Options.defaults(), Regions.Search.AUTO));
        RegionSet e = Regions.enumerate(c.model(), in, d, Options.defaults(), Regions.Search.EDGES);
        RegionSet cells = Regions.enumerate(c.model(), in, d, Options.defaults(), Regions.Search.CELLS);
        Map<String, Region> found = new HashMap<>();
        for (Region r : e.regions()) {
            assertFalse(found.containsKey(r.pattern()), "pattern listed twice: " + r.pattern());
            found.put(r.pattern(), r);
        }
        Map<String, Region> ref = new HashMap<>();
        for (Region r : cells.regions()) {
            ref.put(r.pattern(), r);
        }
        assertEquals(new TreeSet<>(ref.keySet()), new TreeSet<>(found.keySet()), "patterns vs the cell search");
        for (Region r : e.regions()) {
            assertEquals(ref.get(r.pattern()).map(), r.map(), "map of " + r.pattern());
            ExactForward.Result f = ExactForward.run(c.model(), r.inputWitness());
            assertEquals(r.pattern(), f.pattern(), "pattern at the witness");
            assertTrue(d.containsStrictly(r.witness()));
            assertArrayEquals(f.output(), r.map().apply(r.witness()));
            if (c.k() == 2) {
                assertEquals(ref.get(r.pattern()).vertices().size(), r.vertices().size(), "vertices of " + r.pattern());
                for (Rational[] v : r.vertices()) {
                    assertTrue(ref.get(r.pattern()).vertices().stream().anyMatch(u -> Arrays.equals(u, v)), "vertex of " + r.pattern());
                }
            }
        }
        assertEquals(cells.affinePieces(), e.affinePieces(), "affine pieces");
        assertEquals(partition(cells), partition(e), "the same regions in each piece");
        if (c.brute()) {
            Map<String, Rational[][]> bf = BruteForceRef.regions(c.model(), BruteForceRef.rows(in), d.lower(), d.upper(), List.of());
            assertEquals(new TreeSet<>(bf.keySet()), new TreeSet<>(found.keySet()), "patterns vs brute force");
            for (Map.Entry<String, Rational[][]> x : bf.entrySet()) {
                assertTrue(Arrays.deepEquals(x.getValue(), BruteForceRef.rows(found.get(x.getKey()).map())), "map vs brute force");
            }
        }
    }

    private static java.util.Set<java.util.Set<String>> partition(RegionSet rs) {
        java.util.Set<java.util.Set<String>> out = new java.util.HashSet<>();
        for (RegionSet.Piece p : rs.pieces()) {
            java.util.Set<String> s = new java.util.HashSet<>();
            for (int i : p.regions()) {
                s.add(rs.regions().get(i).pattern());
            }
            out.add(s);
        }
        return out;
    }

    @Test
    void autoKeepsTheCellSearchWhereEdgesDoNotApply() {
        Model m = RandomNets.mlp(1, 2, new int[]{3}, 1, "relu", 4);
        assertEquals(Regions.Search.CELLS, Regions.resolve(m, AffineMap.identity(2), box(2),
                Options.defaults().withMode(Options.Mode.LP), Regions.Search.AUTO));
        Model one = RandomNets.mlp(1, 1, new int[]{3}, 1, "relu", 4);
        assertEquals(Regions.Search.CELLS, Regions.resolve(one, AffineMap.identity(1), box(1), Options.defaults(), Regions.Search.AUTO));
        assertEquals(org.netgeom.ir.IrError.BAD_INPUT, org.junit.jupiter.api.Assertions.assertThrows(
                org.netgeom.ir.NetgeomException.class, () -> Regions.resolve(one, AffineMap.identity(1), box(1), Options.defaults(),
                        Regions.Search.EDGES)).code());
    }

    /**
     * Near-ties: second-layer units that vanish exactly at vertices created in the first layer,
     * (a, b) = (p/q, r/s) with thirds, sevenths, tenths: not doubles, so the vertex's float
     * coordinates are off and its float pre-activation is a tiny number of either sign or zero,
     * while the exact value is 0. The proven error bound must send each of these to the exact
     * decision (some of whose float signs are wrong), and the result must be the cell search's.
     */
    @Test
    void nearTiesAreDecidedExactly() {
        Rational[][] pts = {{q(1, 3), q(1, 3)}, {q(1, 7), q(-2, 7)}, {q(3, 10), q(7, 10)}, {q(-2, 9), q(1, 11)},
                {q(5, 13), q(-1, 3)}, {q(1, 10), q(1, 5)}};
        long wrong = 0;
        long exact = 0;
        for (Rational[] p : pts) {
            Rational a = p[0];
            Rational b = p[1];
            // layer 1: x − a, y − b, x + y + 3 (positive on the box), 2x − y + 4 (positive)
            Rational[][] w1 = {{q(1), q(0)}, {q(0), q(1)}, {q(1), q(1)}, {q(2), q(-1)}};
            Rational[] b1 = {a.negate(), b.negate(), q(3), q(4)};
            // layer 2: (x + y + 3) − (3 + a + b) = x + y − a − b, through (a, b); (2x − y + 4) − (4 + 2a − b); and a
            // combination of the relus through the same point
            Rational[][] w2 = {{q(0), q(0), q(1), q(0)}, {q(0), q(0), q(0), q(1)}, {q(1), q(-1), q(1), q(-1)}};
            Rational[] b2 = {q(3).add(a).add(b).negate(), q(4).add(a.multiply(q(2))).subtract(b).negate(),
                    q(3).add(a).add(b).negate().add(q(4).add(a.multiply(q(2))).subtract(b))};
            Model m = new Model("near-tie", Shape.of(2), List.of(TestNets.dense(w1, b1), RandomNets.activation("relu"),
                    TestNets.dense(w2, b2), RandomNets.activation("relu"), TestNets.dense(new Rational[][]{{q(1), q(2), q(-1)}}, q(0))));
            AffineMap in = AffineMap.identity(2);
            EdgeSearch s = new EdgeSearch(new PointEvaluator(NetworkProgram.forModel(m, in, false), in), box(2).lower(), box(2).upper(),
                    Options.DEFAULT_BUDGET, org.netgeom.ir.Progress.NONE);
            s.strict = true;          // every float decision proven, all others exact
            s.run();
            wrong += s.floatWrong;
            exact += s.exactSigns;
            RegionSet c = Regions.enumerate(m, in, box(2), Options.defaults(), Regions.Search.CELLS);
            TreeSet<String> strict = new TreeSet<>();
            for (EdgeSearch.Reg r : s.regions) {
                StringBuilder sb = new StringBuilder();
                for (int u = 0; u < s.units; u++) {
                    sb.append((r.bits[u >>> 6] >>> (u & 63) & 1) != 0 ? '1' : '0');
                }
                strict.add(sb.toString());
            }
            TreeSet<String> ref = new TreeSet<>(c.regions().stream().map(Region::pattern).toList());
            assertEquals(ref, strict, "strict edge search vs cells, near tie at " + Arrays.toString(p));
            // the default search (proven bound, then the unproven 1e-9 filter) is either right, or its
            // exact re-derivation catches it: never a wrong result
            try {
                RegionSet e = Regions.enumerate(m, in, box(2), Options.defaults(), Regions.Search.EDGES);
                assertEquals(ref, new TreeSet<>(e.regions().stream().map(Region::pattern).toList()));
            } catch (IllegalStateException rejected) {
                assertTrue(rejected.getMessage().contains("failed its exact check"), rejected.getMessage());
            }
        }
        assertTrue(exact >= pts.length, "every near tie is decided exactly (" + exact + ")");
        assertTrue(wrong > 0, "some of those float signs are wrong, so the exact decisions mattered");
    }
}
