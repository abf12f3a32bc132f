package org.netgeom.symbolic.poly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A full-dimensional polytope of Q^k in double description: its exact vertices, its facets
 * (forms ≥ 0 inside) and, per vertex, the set of facets it lies on. Cutting by a hyperplane is
 * one step of the double description method (Motzkin et al. 1953; Fukuda and Prodon 1996): the
 * vertices on each side are kept, and a new vertex is made on every edge whose ends lie on
 * opposite sides; two vertices span an edge exactly when they share at least k − 1 facets and
 * no third vertex lies on all of their common facets (the combinatorial adjacency test, which is
 * exact for a polytope). Facets left with fewer than k vertices are dropped.
 */
final class VPolytope implements Polytope {
    private final int k;
    private final Point[] v;
    private final long[][] inc;     // inc[i]: bitset of the facets through vertex i
    private final Form[] facet;
    private final int[] label;
    private final boolean filter;

    VPolytope(int k, Point[] v, long[][] inc, Form[] facet, int[] label, boolean filter) {
        this.k = k;
        this.v = v;
        this.inc = inc;
        this.facet = facet;
        this.label = label;
        this.filter = filter;
    }

    /** The box prod [lo_j, hi_j]: facet 2j is x_j ≥ lo_j, facet 2j + 1 is x_j ≤ hi_j. */
    static VPolytope box(int k, java.util.function.IntFunction<Point> corner, Form[] facets, int[] labels, boolean filter) {
        int n = 1 << k;
        Point[] v = new Point[n];
        long[][] inc = new long[n][words(2 * k)];
        for (int m = 0; m < n; m++) {
            v[m] = corner.apply(m);
            for (int j = 0; j < k; j++) {
                int f = ((m >> j) & 1) == 0 ? 2 * j : 2 * j + 1;
                inc[m][f >> 6] |= 1L << (f & 63);
            }
        }
        return new VPolytope(k, v, inc, facets, labels, filter);
    }

    private static int words(int n) {
        return Math.max(1, (n + 63) >> 6);
    }

    @Override
    public Polytope[] split(Form g, int lab, Stats stats) {
        int n = v.length;
        int[] s = Polytope.signs(g, v, filter);
        Polytope[] same = Polytope.uncut(s, this, stats);
        if (same != null) {
            return same;
        }
        stats.splits++;
        int f = facet.length;                // index of the new facet
        int w = words(f + 1);
        List<Point> newPts = new ArrayList<>();
        List<long[]> newInc = new ArrayList<>();
        long[] common = new long[w];
        for (int a = 0; a < n; a++) {
            if (s[a] <= 0) {
                continue;
            }
            for (int b = 0; b < n; b++) {
                if (s[b] >= 0) {
                    continue;
                }
                int cnt = 0;
                for (int x = 0; x < w; x++) {
                    common[x] = x < inc[a].length && x < inc[b].length ? inc[a][x] & inc[b][x] : 0;
                    cnt += Long.bitCount(common[x]);
                }
                if (cnt < k - 1 || !adjacent(a, b, common)) {
                    continue;
                }
                newPts.add(cross(v[a], v[b], g));
                long[] ci = Arrays.copyOf(common, w);
                ci[f >> 6] |= 1L << (f & 63);
                newInc.add(ci);
            }
        }
        Form[] facets = Arrays.copyOf(facet, f + 1);
        int[] labels = Arrays.copyOf(label, f + 1);
        labels[f] = lab;
        facets[f] = g;
        VPolytope p = side(s, 1, newPts, newInc, facets, labels, f, w);
        Form[] nf = facets.clone();
        nf[f] = g.negate();
        VPolytope q = side(s, -1, newPts, newInc, nf, labels, f, w);
        return new Polytope[]{q, p};
    }

    private boolean adjacent(int a, int b, long[] common) {
        for (int c = 0; c < v.length; c++) {
            if (c == a || c == b) {
                continue;
            }
            boolean contains = true;
            for (int x = 0; x < common.length && contains; x++) {
                long ic = x < inc[c].length ? inc[c][x] : 0;
                contains = (common[x] & ~ic) == 0;
            }
            if (contains) {
                return false;
            }
        }
        return true;
    }

    private Point cross(Point a, Point b, Form g) {
        if (!g.isExact() || !a.isExact()) {
            double ga = g.approx(k);
            double gb = g.approx(k);
            for (int j = 0; j < k; j++) {
                ga += g.approx(j) * a.d[j];
                gb += g.approx(j) * b.d[j];
            }
            double t = ga / (ga - gb);
            double[] x = new double[k];
            for (int j = 0; j < k; j++) {
                x[j] = a.d[j] + t * (b.d[j] - a.d[j]);
            }
            return Point.ofDoubles(x);
        }
        return Polygon.interpolate(a, b, g);
    }

    /** The part on side {@code sgn} of the cut, with unused facets dropped and renumbered. */
    private VPolytope side(int[] s, int sgn, List<Point> newPts, List<long[]> newInc, Form[] facets, int[] labels, int f, int w) {
        List<Point> pts = new ArrayList<>();
        List<long[]> incs = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            if (s[i] * sgn > 0 || s[i] == 0) {
                long[] ci = Arrays.copyOf(inc[i], w);
                if (s[i] == 0) {
                    ci[f >> 6] |= 1L << (f & 63);
                }
                pts.add(v[i]);
                incs.add(ci);
            }
        }
        pts.addAll(newPts);
        incs.addAll(newInc);
        // keep the facets that still carry at least k vertices
        int[] count = new int[facets.length];
        for (long[] ci : incs) {
            for (int x = 0; x < facets.length; x++) {
                if ((ci[x >> 6] & (1L << (x & 63))) != 0) {
                    count[x]++;
                }
            }
        }
        int[] map = new int[facets.length];
        List<Form> kf = new ArrayList<>();
        List<Integer> kl = new ArrayList<>();
        for (int x = 0; x < facets.length; x++) {
            if (count[x] >= k) {
                map[x] = kf.size();
                kf.add(facets[x]);
                kl.add(labels[x]);
            } else {
                map[x] = -1;
            }
        }
        int w2 = words(kf.size());
        long[][] ninc = new long[incs.size()][w2];
        for (int i = 0; i < incs.size(); i++) {
            long[] ci = incs.get(i);
            for (int x = 0; x < facets.length; x++) {
                if (map[x] >= 0 && (ci[x >> 6] & (1L << (x & 63))) != 0) {
                    ninc[i][map[x] >> 6] |= 1L << (map[x] & 63);
                }
            }
        }
        return new VPolytope(k, pts.toArray(new Point[0]), ninc, kf.toArray(new Form[0]),
                kl.stream().mapToInt(Integer::intValue).toArray(), filter);
    }

    @Override
    public Point witness(boolean nice) {
        return Witnesses.of(v, facet, filter, nice);
    }

    @Override
    public List<Point> vertices() {
        return Arrays.asList(v.clone());
    }

    @Override
    public List<Cell.Facet> facets() {
        List<Cell.Facet> out = new ArrayList<>(facet.length);
        for (int x = 0; x < facet.length; x++) {
            List<Integer> on = new ArrayList<>();
            for (int i = 0; i < v.length; i++) {
                if ((inc[i][x >> 6] & (1L << (x & 63))) != 0) {
                    on.add(i);
                }
            }
            out.add(new Cell.Facet(facet[x], label[x], on.stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }

    @Override
    public List<Form> constraints() {
        return Arrays.asList(facet.clone());
    }
}
