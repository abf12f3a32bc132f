package org.netgeom.symbolic.regions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Affine pieces (regions with the same map connected through shared (k−1)-dimensional facets)
 * against independent references: in 2-D the test decides adjacency itself, by restricting both
 * regions' reference inequalities to each candidate line and intersecting the open intervals
 * they leave; in 1-D by merging consecutive intervals with equal maps.
 */
class AffinePiecesTest {

    /** A random relu net with a relu on its output: many regions share the map 0. */
    static Model withOutputRelu(long seed, int n, int[] widths) {
        Model m = RandomNets.mlp(seed, n, widths, 1, "relu", 4);
        List<Layer> ls = new ArrayList<>(m.layers());
        ls.add(Layer.AbRelu.relu(null));
        return new Model("relu-out", m.input(), ls);
    }

    @ParameterizedTest(name = "2-D seed {0}")
    @ValueSource(longs = {101, 102, 103, 104})
    void piecesIn2dMatchLineAdjacency(long seed) {
        Model m = withOutputRelu(seed, 2, new int[]{4, 3});
        Rational[] lo = {Rational.of(-2), Rational.of(-2)};
        Rational[] hi = {Rational.of(2), Rational.of(2)};
        RegionSet rs = Regions.enumerate(m, Domain.box(lo, hi), Options.defaults());
        assertEquals(expectedPartition(m, rs, lo, hi), partition(rs));
        assertTrue(rs.affinePieces() < rs.activationRegions(), "this net has regions sharing a piece");
    }

    @Test
    void square2dHasSixPiecesBecauseTheZeroSectorsOnlyTouchAtTheOrigin() {
        Model m = TestNets.json("""
                {"netgeom": 1, "input": [2], "layers": [
                {"op": "dense", "weight": [[1, 0], [0, 1], [1, 1]], "bias": [0, 0, 0]}, {"op": "relu"},
                {"op": "dense", "weight": [[1, 1, -1]], "bias": [0]}]}""");
        Rational[] lo = {Rational.MINUS_ONE, Rational.MINUS_ONE};
        Rational[] hi = {Rational.ONE, Rational.ONE};
        RegionSet rs = Regions.enumerate(m, Domain.box(lo, hi), Options.defaults());
        assertEquals(6, rs.activationRegions());
        assertEquals(6, rs.affinePieces());
        assertEquals(expectedPartition(m, rs, lo, hi), partition(rs));
        // the same in LP mode (adjacency by exact LP on the hyperplane)
        RegionSet lp = Regions.enumerate(m, Domain.box(lo, hi), Options.defaults().withMode(Options.Mode.LP));
        assertEquals(6, lp.affinePieces());
    }

    @ParameterizedTest(name = "3-D seed {0}: vertex and LP modes agree")
    @ValueSource(longs = {201, 202})
    void piecesIn3dAgreeAcrossModes(long seed) {
        Model m = withOutputRelu(seed, 3, new int[]{4, 3});
        Rational[] lo = {Rational.MINUS_ONE, Rational.MINUS_ONE, Rational.MINUS_ONE};
        Rational[] hi = {Rational.ONE, Rational.ONE, Rational.ONE};
        RegionSet v = Regions.enumerate(m, Domain.box(lo, hi), Options.defaults().withMode(Options.Mode.VERTEX));
        RegionSet l = Regions.enumerate(m, Domain.box(lo, hi), Options.defaults().withMode(Options.Mode.LP));
        assertEquals(partition(v), partition(l));
    }

    @ParameterizedTest(name = "1-D seed {0}")
    @ValueSource(longs = {301, 302, 303})
    void piecesIn1dAreRunsOfEqualMaps(long seed) {
        Model m = withOutputRelu(seed, 1, new int[]{5, 4});
        RegionSet rs = Regions.enumerate(m, Domain.box(new Rational[]{Rational.of(-3)}, new Rational[]{Rational.of(3)}),
                Options.defaults());
        List<Region> sorted = new ArrayList<>(rs.regions());
        sorted.sort(Comparator.comparing(r -> r.witness()[0]));
        Set<Set<String>> want = new HashSet<>();
        Set<String> run = new HashSet<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0 && !sorted.get(i).map().equals(sorted.get(i - 1).map())) {
                want.add(run);
                run = new HashSet<>();
            }
            run.add(sorted.get(i).pattern());
        }
        want.add(run);
        assertEquals(want, partition(rs));
        assertEquals(rs.affinePieces() - 1, rs.breakpoints().size());
    }

    static Set<Set<String>> partition(RegionSet rs) {
        Map<Integer, Set<String>> by = new HashMap<>();
        for (Region r : rs.regions()) {
            by.computeIfAbsent(r.piece(), x -> new HashSet<>()).add(r.pattern());
        }
        return new HashSet<>(by.values());
    }

    /** The test's own pieces: same-map regions joined when their closures share a segment. */
    static Set<Set<String>> expectedPartition(Model m, RegionSet rs, Rational[] lo, Rational[] hi) {
        List<String> pats = new ArrayList<>();
        List<List<Rational[]>> ineq = new ArrayList<>();
        List<Rational[][]> maps = new ArrayList<>();
        Rational[][] id = BruteForceRef.rows(AffineMap.identity(2));
        for (Region r : rs.regions()) {
            RefNet.Result res = RefNet.under(m, r.pattern(), id);
            pats.add(r.pattern());
            ineq.add(res.inequalities());
            maps.add(res.output());
        }
        List<Rational[]> box = new ArrayList<>();
        for (int j = 0; j < 2; j++) {
            Rational[] a = {Rational.ZERO, Rational.ZERO, lo[j].negate()};
            a[j] = Rational.ONE;
            Rational[] b = {Rational.ZERO, Rational.ZERO, hi[j]};
            b[j] = Rational.MINUS_ONE;
            box.add(a);
            box.add(b);
        }
        int n = pats.size();
        int[] parent = new int[n];
        Arrays.setAll(parent, i -> i);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Arrays.deepEquals(maps.get(i), maps.get(j)) && shareSegment(ineq.get(i), ineq.get(j), box)) {
                    parent[find(parent, i)] = find(parent, j);
                }
            }
        }
        Map<Integer, Set<String>> by = new HashMap<>();
        for (int i = 0; i < n; i++) {
            by.computeIfAbsent(find(parent, i), x -> new HashSet<>()).add(pats.get(i));
        }
        return new HashSet<>(by.values());
    }

    private static int find(int[] p, int i) {
        while (p[i] != i) {
            i = p[i];
        }
        return i;
    }

    /** Some line of P's inequalities, with Q on its other side, on which both leave an open interval. */
    private static boolean shareSegment(List<Rational[]> p, List<Rational[]> q, List<Rational[]> box) {
        for (Rational[] g : p) {
            boolean opposite = false;
            for (Rational[] h : q) {
                opposite |= proportional(g, h) < 0;
            }
            if (!opposite) {
                continue;
            }
            // the line g = 0: a point p0 and a direction d
            Rational[] p0 = g[1].isZero() ? new Rational[]{g[2].negate().divide(g[0]), Rational.ZERO}
                    : new Rational[]{Rational.ZERO, g[2].negate().divide(g[1])};
            Rational[] d = {g[1].negate(), g[0]};
            Rational lo = null;
            Rational hi = null;
            boolean ok = true;
            List<Rational[]> all = new ArrayList<>(p);
            all.addAll(q);
            all.addAll(box);
            for (Rational[] h : all) {
                if (proportional(g, h) != 0) {
                    continue;                         // the line itself
                }
                Rational at = h[2].add(h[0].multiply(p0[0])).add(h[1].multiply(p0[1]));
                Rational slope = h[0].multiply(d[0]).add(h[1].multiply(d[1]));
                if (slope.isZero()) {
                    ok &= at.signum() > 0;
                } else {
                    Rational s = at.negate().divide(slope);      // h > 0 beyond s
                    if (slope.signum() > 0) {
                        lo = lo == null ? s : lo.max(s);
                    } else {
                        hi = hi == null ? s : hi.min(s);
                    }
                }
            }
            if (ok && (lo == null || hi == null || lo.compareTo(hi) < 0)) {
                return true;
            }
        }
        return false;
    }

    /** +1 / -1 when h is a positive / negative multiple of g, 0 otherwise. */
    private static int proportional(Rational[] g, Rational[] h) {
        Rational ratio = null;
        for (int i = 0; i < g.length; i++) {
            if (g[i].isZero() != h[i].isZero()) {
                return 0;
            }
            if (!g[i].isZero()) {
                Rational r = h[i].divide(g[i]);
                if (ratio != null && !ratio.equals(r)) {
                    return 0;
                }
                ratio = r;
            }
        }
        return ratio == null ? 0 : ratio.signum();
    }
}
