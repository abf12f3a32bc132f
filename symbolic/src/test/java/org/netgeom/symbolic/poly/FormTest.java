package org.netgeom.symbolic.poly;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Rational;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The filtered sign predicate equals the sign computed in rational arithmetic (the definition),
 * including points exactly on the hyperplane, values within rounding of zero, huge and tiny
 * magnitudes, and forms held in BigIntegers.
 */
class FormTest {
    private static Rational r(SplittableRandom rnd, int den) {
        return Rational.of(rnd.nextInt(-50, 51), rnd.nextInt(1, den + 1));
    }

    @Test
    void filteredSignIsExactSign() {
        SplittableRandom rnd = new SplittableRandom(7);
        int zeros = 0;
        for (int t = 0; t < 20000; t++) {
            int k = 1 + rnd.nextInt(4);
            Rational[] a = new Rational[k];
            Rational[] u = new Rational[k];
            for (int j = 0; j < k; j++) {
                a[j] = r(rnd, 20);
                u[j] = r(rnd, 20);
            }
            Rational c = r(rnd, 20);
            int mode = rnd.nextInt(4);
            if (mode == 0) {
                // put u exactly on the hyperplane (when the last coefficient is non-zero)
                if (!a[k - 1].isZero()) {
                    Rational s = c;
                    for (int j = 0; j < k - 1; j++) {
                        s = s.add(a[j].multiply(u[j]));
                    }
                    u[k - 1] = s.negate().divide(a[k - 1]);
                }
            } else if (mode == 1) {
                // a tiny offset from the hyperplane: far below double resolution of the terms
                c = c.add(Rational.of(BigInteger.ONE, BigInteger.TEN.pow(40)));
            } else if (mode == 2) {
                Rational big = Rational.of(BigInteger.TEN.pow(200));
                for (int j = 0; j < k; j++) {
                    a[j] = a[j].multiply(big);
                }
                c = c.multiply(big);
            } else {
                Rational tiny = Rational.of(BigInteger.ONE, BigInteger.TEN.pow(300));
                for (int j = 0; j < k; j++) {
                    u[j] = u[j].multiply(tiny);
                }
            }
            Form f = Form.of(a, c);
            Rational exact = c;
            for (int j = 0; j < k; j++) {
                exact = exact.add(a[j].multiply(u[j]));
            }
            assertEquals(exact.signum(), f.signAt(new Point(u)), "form " + f + " at point");
            assertEquals(exact.signum(), f.signAt(u));
            assertEquals(exact, f.valueAt(u));
            zeros += exact.signum() == 0 ? 1 : 0;
        }
        assertEquals(true, zeros > 1000, "the table exercises exact zeros");
    }

    @Test
    void hyperplaneKeysIdentifyTheSameLine() {
        Form f = Form.of(new Rational[]{Rational.of(1, 2), Rational.of(-3, 4)}, Rational.of(1, 3));
        Form g = Form.of(new Rational[]{Rational.of(-6), Rational.of(9)}, Rational.of(-4));      // -12 f
        assertEquals(f.hyperplane(), g.hyperplane());
        assertEquals(-f.orientation(), g.orientation());
        assertEquals(Form.of(new Rational[]{Rational.ZERO, Rational.ZERO}, Rational.ZERO).isZero(), true);
        assertEquals(f.minus(f).isZero(), true);
        assertEquals(f.plus(f.negate()).isZero(), true);
    }
}
