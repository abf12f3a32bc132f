package org.netgeom.symbolic.poly;

import java.util.List;

/**
 * An open convex polytope of Q^k (a cell of the search), in one of three exact representations:
 * a polygon (k = 2, vertices in cyclic order), a double description (vertices with facet
 * incidences, any k) or constraints with an interior witness decided by exact LP (large k).
 * Package-private: callers see {@link Cell}s.
 */
interface Polytope {

    /**
     * The parts of this cell where g &lt; 0 (index 0) and g &gt; 0 (index 1); a part is null
     * exactly when it is proven empty (vertex signs of the exact closure, or a checked Farkas
     * certificate). {@code label} names the new facet (see {@link Cell.Facet#label()}).
     */
    Polytope[] split(Form g, int label, Stats stats);

    /** The part where g &gt; 0, or null when it is proven empty. */
    default Polytope cut(Form g, int label, Stats stats) {
        return split(g, label, stats)[1];
    }

    /** A point strictly inside, exact (dyadic coordinates of small denominator when {@code nice}). */
    Point witness(boolean nice);

    /** The vertices of the closure (vertex representations), or null. */
    List<Point> vertices();

    /** The facets with their vertices (vertex representations), or null. */
    List<Cell.Facet> facets();

    /** Every constraint f ≥ 0 known to hold (for witness checks in LP mode). */
    List<Form> constraints();

    /** The exact signs of g at the vertices (filtered, or purely rational without the filter). */
    static int[] signs(Form g, Point[] v, boolean filter) {
        int[] s = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = filter || !g.isExact() ? g.signAt(v[i]) : g.signAt(v[i].q);
        }
        return s;
    }

    /**
     * When g does not cut the closure (no vertex strictly on one side) the split's answer, with
     * the empty side proven empty by the exact vertex signs; null when g cuts.
     */
    static Polytope[] uncut(int[] s, Polytope self, Stats stats) {
        boolean pos = false;
        boolean neg = false;
        for (int x : s) {
            pos |= x > 0;
            neg |= x < 0;
        }
        if (pos && neg) {
            return null;
        }
        stats.vertexProofs++;
        return neg ? new Polytope[]{self, null} : new Polytope[]{null, self};
    }
}
