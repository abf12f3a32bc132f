package org.netgeom.symbolic.poly;

import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A convex polygon (k = 2) with exact vertices in counter-clockwise order; edge i runs from
 * vertex i to vertex i + 1 and lies on the line of {@code edge[i]} (a form ≥ 0 inside).
 * Splitting by a line is Sutherland–Hodgman clipping with exact predicates and exact
 * intersection points, so the polygon is always exactly the closure of its cell, without
 * redundant vertices (no three consecutive vertices are collinear).
 */
final class Polygon implements Polytope {
    private final Point[] v;
    private final Form[] edge;
    private final int[] label;
    private final boolean filter;   // false: every sign in rational arithmetic

    Polygon(Point[] v, Form[] edge, int[] label, boolean filter) {
        this.v = v;
        this.edge = edge;
        this.label = label;
        this.filter = filter;
    }

    /** The box [lo0, hi0] x [lo1, hi1], counter-clockwise from (lo0, lo1); edge labels as the domain's. */
    static Polygon box(Point[] corners, Form[] edges, int[] labels, boolean filter) {
        return new Polygon(corners, edges, labels, filter);
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
        Form gn = g.negate();
        List<Point> pv = new ArrayList<>(n + 1);
        List<Form> pe = new ArrayList<>(n + 1);
        List<Integer> pl = new ArrayList<>(n + 1);
        List<Point> nv = new ArrayList<>(n + 1);
        List<Form> ne = new ArrayList<>(n + 1);
        List<Integer> nl = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            int sa = s[i];
            int sb = s[j];
            Point x = (sa > 0 && sb < 0) || (sa < 0 && sb > 0) ? crossing(i, j, g) : null;
            // positive side
            if (sa >= 0) {
                pv.add(v[i]);
                boolean leaveHere = sa == 0 && sb < 0;
                pe.add(leaveHere ? g : edge[i]);
                pl.add(leaveHere ? lab : label[i]);
                if (sa > 0 && sb < 0) {
                    pv.add(x);
                    pe.add(g);
                    pl.add(lab);
                }
            } else if (sb > 0) {
                pv.add(x);
                pe.add(edge[i]);
                pl.add(label[i]);
            }
            // negative side (mirror image)
            if (sa <= 0) {
                nv.add(v[i]);
                boolean leaveHere = sa == 0 && sb > 0;
                ne.add(leaveHere ? gn : edge[i]);
                nl.add(leaveHere ? lab : label[i]);
                if (sa < 0 && sb > 0) {
                    nv.add(x);
                    ne.add(gn);
                    nl.add(lab);
                }
            } else if (sb < 0) {
                nv.add(x);
                ne.add(edge[i]);
                nl.add(label[i]);
            }
        }
        return new Polytope[]{make(nv, ne, nl), make(pv, pe, pl)};
    }

    private Polygon make(List<Point> pv, List<Form> pe, List<Integer> pl) {
        return new Polygon(pv.toArray(new Point[0]), pe.toArray(new Form[0]),
                pl.stream().mapToInt(Integer::intValue).toArray(), filter);
    }

    /** The point where edge i (from vertex i to vertex j) crosses g = 0, exactly. */
    private Point crossing(int i, int j, Form g) {
        Point a = v[i];
        Point b = v[j];
        if (!g.isExact() || !a.isExact()) {
            double ga = g.approx(2) + g.approx(0) * a.d[0] + g.approx(1) * a.d[1];
            double gb = g.approx(2) + g.approx(0) * b.d[0] + g.approx(1) * b.d[1];
            double t = ga / (ga - gb);
            return Point.ofDoubles(new double[]{a.d[0] + t * (b.d[0] - a.d[0]), a.d[1] + t * (b.d[1] - a.d[1])});
        }
        Form e = edge[i];
        if (e.num != null && g.num != null) {
            // Cramer's rule on the integer numerators of the two lines
            try {
                long e1 = e.num[0];
                long e2 = e.num[1];
                long e0 = e.num[2];
                long g1 = g.num[0];
                long g2 = g.num[1];
                long g0 = g.num[2];
                long det = Math.subtractExact(Math.multiplyExact(e1, g2), Math.multiplyExact(e2, g1));
                long xn = Math.subtractExact(Math.multiplyExact(e2, g0), Math.multiplyExact(e0, g2));
                long yn = Math.subtractExact(Math.multiplyExact(e0, g1), Math.multiplyExact(e1, g0));
                if (det != 0) {
                    return Point.trusted(new Rational[]{Rational.of(xn, det), Rational.of(yn, det)});
                }
            } catch (ArithmeticException overflow) {
                // fall back to interpolation
            }
        }
        return interpolate(a, b, g);
    }

    static Point interpolate(Point a, Point b, Form g) {
        Rational ga = g.scaledValueAt(a.q);
        Rational gb = g.scaledValueAt(b.q);
        Rational t = ga.divide(ga.subtract(gb));
        Rational[] w = new Rational[a.q.length];
        for (int c = 0; c < w.length; c++) {
            w[c] = a.q[c].add(t.multiply(b.q[c].subtract(a.q[c])));
        }
        return Point.trusted(w);
    }

    @Override
    public Point witness(boolean nice) {
        return Witnesses.of(v, edge, filter, nice);
    }

    @Override
    public List<Point> vertices() {
        return Arrays.asList(v.clone());
    }

    @Override
    public List<Cell.Facet> facets() {
        List<Cell.Facet> out = new ArrayList<>(v.length);
        for (int i = 0; i < v.length; i++) {
            out.add(new Cell.Facet(edge[i], label[i], new int[]{i, (i + 1) % v.length}));
        }
        return out;
    }

    @Override
    public List<Form> constraints() {
        return Arrays.asList(edge.clone());
    }

    /** The exact area (shoelace formula); the vertices are counter-clockwise. */
    Rational area() {
        Rational s = Rational.ZERO;
        for (int i = 0; i < v.length; i++) {
            Point a = v[i];
            Point b = v[(i + 1) % v.length];
            s = s.add(a.q[0].multiply(b.q[1]).subtract(b.q[0].multiply(a.q[1])));
        }
        return s.divide(Rational.TWO);
    }
}
