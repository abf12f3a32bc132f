package org.netgeom.symbolic.poly;

import org.netgeom.ir.Rational;

import java.util.List;

/** Interior points of a polytope given by its exact vertices and facet constraints. */
final class Witnesses {
    private Witnesses() {
    }

    /**
     * A witness of a polytope with these vertices and facets: a nice dyadic point when
     * {@code nice} and one is found, else the centroid; in float64 mode the centroid in doubles.
     */
    static Point of(Point[] v, Form[] facets, boolean filter, boolean nice) {
        if (!v[0].isExact()) {
            int k = v[0].d.length;
            double[] c = new double[k];
            for (Point p : v) {
                for (int j = 0; j < k; j++) {
                    c[j] += p.d[j] / v.length;
                }
            }
            return Point.ofDoubles(c);
        }
        if (nice) {
            Point w = dyadicInside(v, java.util.Arrays.asList(facets), filter);
            if (w != null) {
                return w;
            }
        }
        return centroid(v);
    }

    /**
     * The centroid of the vertices: strictly inside a full-dimensional polytope (a convex
     * combination of all vertices with positive weights lies in the relative interior).
     */
    static Point centroid(Point[] v) {
        int k = v[0].q.length;
        Rational[] c = new Rational[k];
        Rational n = Rational.of(v.length);
        for (int j = 0; j < k; j++) {
            Rational s = Rational.ZERO;
            for (Point p : v) {
                s = s.add(p.q[j]);
            }
            c[j] = s.divide(n);
        }
        return Point.trusted(c);
    }

    /**
     * A point with dyadic coordinates of the smallest denominator 2^j (j from the polytope's
     * width on) that rounds the centroid and lies strictly inside all {@code facets} (checked
     * with exact predicates); null when none up to 2^-60 does.
     */
    static Point dyadicInside(Point[] v, List<Form> facets, boolean filter) {
        int k = v[0].q.length;
        double[] c = new double[k];
        double width = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Point p : v) {
                double x = p.approx(j);
                c[j] += x / v.length;
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            width = Math.min(width, hi - lo);
        }
        if (!(width > 0) || !Double.isFinite(width)) {
            return null;
        }
        int j0 = Math.max(0, (int) Math.floor(-Math.log(width) / Math.log(2)));
        for (int j = j0; j <= 60; j++) {
            double scale = Math.scalb(1.0, j);
            Rational[] w = new Rational[k];
            boolean ok = true;
            for (int i = 0; i < k && ok; i++) {
                double r = Math.rint(c[i] * scale);
                ok = Math.abs(r) < 0x1p52;
                w[i] = Rational.fromDouble(Math.scalb(r, -j));
            }
            if (!ok) {
                return null;
            }
            Point p = Point.trusted(w);
            boolean inside = true;
            for (Form f : facets) {
                if ((filter ? f.signAt(p) : f.signAt(p.q)) <= 0) {
                    inside = false;
                    break;
                }
            }
            if (inside) {
                return p;
            }
        }
        return null;
    }
}
