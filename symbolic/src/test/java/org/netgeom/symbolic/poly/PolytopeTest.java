package org.netgeom.symbolic.poly;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two vertex representations agree: random sequences of cuts of a square give the same exact
 * vertex sets in the polygon (clipping) and in the double description (combinatorial adjacency);
 * every split preserves area exactly (shoelace), and vertices lie on their facets.
 */
class PolytopeTest {
    private static Polytope start(boolean polygon) {
        Domain d = Domain.box(new Rational[]{Rational.MINUS_ONE, Rational.MINUS_ONE}, new Rational[]{Rational.ONE, Rational.ONE});
        if (polygon) {
            return d.initial(Options.Mode.VERTEX, Options.Arithmetic.EXACT);
        }
        Form[] f = ExactLp.boxForms(d.lower(), d.upper()).toArray(new Form[0]);
        return VPolytope.box(2, m -> Point.trusted(new Rational[]{(m & 1) == 0 ? Rational.MINUS_ONE : Rational.ONE,
                (m & 2) == 0 ? Rational.MINUS_ONE : Rational.ONE}), f, new int[]{-1, -2, -3, -4}, true);
    }

    private static HashSet<List<Rational>> set(Polytope p) {
        HashSet<List<Rational>> s = new HashSet<>();
        for (Point v : p.vertices()) {
            s.add(List.of(v.q));
        }
        return s;
    }

    @Test
    void polygonAndDoubleDescriptionAgree() {
        SplittableRandom rnd = new SplittableRandom(3);
        Stats st = new Stats();
        for (int t = 0; t < 300; t++) {
            Polytope a = start(true);
            Polytope b = start(false);
            for (int c = 0; c < 6; c++) {
                // lines through random rational points, sometimes through existing vertices
                Rational[] coef = {Rational.of(rnd.nextInt(-5, 6), 4), Rational.of(rnd.nextInt(-5, 6), 4)};
                if (coef[0].isZero() && coef[1].isZero()) {
                    continue;
                }
                Rational[] through = rnd.nextInt(3) == 0 ? a.vertices().get(0).q
                        : new Rational[]{Rational.of(rnd.nextInt(-8, 9), 8), Rational.of(rnd.nextInt(-8, 9), 8)};
                Rational cst = coef[0].multiply(through[0]).add(coef[1].multiply(through[1])).negate();
                Form g = Form.of(coef, cst);
                Polytope[] pa = a.split(g, c, st);
                Polytope[] pb = b.split(g, c, st);
                int side = rnd.nextInt(2);
                if (pa[side] == null) {
                    assertNull(pb[side]);
                    side = 1 - side;
                }
                if (pa[0] != null && pa[1] != null) {
                    Rational whole = area(a);
                    assertEquals(whole, area(pa[0]).add(area(pa[1])), "a split preserves area");
                }
                a = pa[side];
                b = pb[side];
                assertEquals(set(a), set(b), "same vertices");
                for (Cell.Facet f : a.facets()) {
                    for (int i : f.vertices()) {
                        assertEquals(0, f.form().signAt(a.vertices().get(i).q), "vertex on its facet");
                    }
                }
                Point w = a.witness(true);
                for (Form f : a.constraints()) {
                    assertTrue(f.signAt(w.q) > 0, "witness strictly inside");
                }
            }
        }
    }

    static Rational area(Polytope p) {
        List<Point> v = new ArrayList<>(p.vertices());
        // order counter-clockwise around the centroid (the double description keeps no order)
        double cx = 0;
        double cy = 0;
        for (Point x : v) {
            cx += x.approx(0) / v.size();
            cy += x.approx(1) / v.size();
        }
        final double ox = cx;
        final double oy = cy;
        v.sort((x, y) -> Double.compare(Math.atan2(x.approx(1) - oy, x.approx(0) - ox), Math.atan2(y.approx(1) - oy, y.approx(0) - ox)));
        Rational s = Rational.ZERO;
        for (int i = 0; i < v.size(); i++) {
            Point a = v.get(i);
            Point b = v.get((i + 1) % v.size());
            s = s.add(a.q[0].multiply(b.q[1]).subtract(b.q[0].multiply(a.q[1])));
        }
        return s.divide(Rational.TWO);
    }
}
