package org.netgeom.symbolic.linalg;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.loss.Nets;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The modular gcd against Euclid's algorithm over ℚ (QPoly.gcd, a different algorithm), and
 * Descartes isolation against polynomials built from known roots.
 */
class PolynomialToolsTest {

    private static QPoly random(Random r, int degree) {
        Rational[] c = new Rational[degree + 1];
        for (int i = 0; i <= degree; i++) {
            c[i] = Nets.q(r);
        }
        if (c[degree].isZero()) {
            c[degree] = Rational.ONE;
        }
        return QPoly.of(c);
    }

    @Test
    void modularGcdEqualsEuclid() {
        Random r = new Random(13);
        for (int trial = 0; trial < 40; trial++) {
            QPoly common = random(r, r.nextInt(4));
            QPoly a = random(r, 1 + r.nextInt(6)).multiply(common);
            QPoly b = random(r, 1 + r.nextInt(6)).multiply(common);
            assertEquals(QPoly.gcd(a, b), ModularGcd.gcd(a, b), "gcd of " + a + " and " + b);
        }
    }

    @Test
    void squareFreeDecompositionOfProductsWithRepeats() {
        Random r = new Random(17);
        int checked = 0;
        for (int trial = 0; trial < 15; trial++) {
            QPoly f = random(r, 1 + r.nextInt(3)).monic();
            QPoly g = random(r, 1 + r.nextInt(3)).monic();
            if (!QPoly.gcd(f, g).equals(QPoly.ONE) || !f.squareFree().equals(f) || !g.squareFree().equals(g)) {
                continue;
            }
            List<QPoly> sf = f.multiply(g).multiply(g).squareFreeDecomposition();
            assertEquals(f, sf.get(0));
            assertEquals(g, sf.get(1));
            checked++;
        }
        assertTrue(checked >= 10, "checked " + checked);
    }

    @Test
    void descartesIsolatesKnownRoots() {
        Random r = new Random(19);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + r.nextInt(6);
            Rational[] roots = new Rational[n];
            QPoly p = QPoly.ONE;
            java.util.TreeSet<Rational> distinct = new java.util.TreeSet<>();
            for (int i = 0; i < n; i++) {
                roots[i] = Rational.of(r.nextInt(201) - 100, 1 + r.nextInt(30));
                if (distinct.add(roots[i])) {
                    p = p.multiply(QPoly.linear(roots[i]));
                }
            }
            p = p.multiply(QPoly.of(Rational.of(2), Rational.ZERO, Rational.ONE));    // x² + 2: no real roots
            List<RealRoot> found = RealRoot.roots(p);
            assertEquals(distinct.size(), found.size());
            int i = 0;
            for (Rational want : distinct) {
                assertEquals(want, found.get(i++).exact(), "root " + want + " of " + p);
            }
            Rational b = p.rootBound();
            assertEquals(distinct.size(), Descartes.count(p.squareFree(), b.negate(), b));
            assertTrue(Descartes.count(p.squareFree(), distinct.first(), distinct.last()) == distinct.size() - 1);
        }
    }

    @Test
    void equalAlgebraicNumbersFromDifferentPolynomialsCompareEqual() {
        QPoly a = QPoly.of(Rational.of(-2), Rational.ZERO, Rational.ONE);                       // x² − 2
        QPoly b = a.multiply(QPoly.of(Rational.of(-3), Rational.ONE)).multiply(QPoly.of(Rational.of(-5), Rational.ZERO, Rational.ONE));
        RealRoot s2 = RealRoot.roots(a).get(1);
        List<RealRoot> rb = RealRoot.roots(b);                                                  // −√5, −√2, √2, √5, 3
        assertEquals(0, s2.compareTo(rb.get(2)));
        assertEquals(-1, s2.compareTo(rb.get(3)));
        assertEquals(1, s2.compareTo(rb.get(1)));
        assertEquals(-1, rb.get(3).compareTo(rb.get(4)));
    }
}
