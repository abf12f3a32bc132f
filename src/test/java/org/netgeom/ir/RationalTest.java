package org.netgeom.ir;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rational arithmetic against an independent reference: pairs of BigIntegers reduced with
 * BigInteger.gcd (no long fast path), on random values that straddle the long-overflow boundary.
 */
class RationalTest {

    /** The reference: p/q as a reduced BigInteger pair, compared through its canonical string. */
    private static String ref(BigInteger p, BigInteger q) {
        if (q.signum() < 0) {
            p = p.negate();
            q = q.negate();
        }
        BigInteger g = p.gcd(q);
        if (g.signum() != 0) {
            p = p.divide(g);
            q = q.divide(g);
        }
        return q.equals(BigInteger.ONE) ? p.toString() : p + "/" + q;
    }

    private static BigInteger randomBig(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> BigInteger.valueOf(r.nextInt(21) - 10);
            case 1 -> BigInteger.valueOf(r.nextLong());
            case 2 -> BigInteger.valueOf(r.nextLong() >> r.nextInt(63));
            default -> new BigInteger(70 + r.nextInt(60), r).subtract(BigInteger.ONE.shiftLeft(60));
        };
    }

    @Test
    void arithmeticMatchesBigIntegerReference() {
        Random r = new Random(20261125);
        for (int i = 0; i < 20_000; i++) {
            BigInteger a = randomBig(r);
            BigInteger b = randomBig(r);
            BigInteger c = randomBig(r);
            BigInteger d = randomBig(r);
            if (b.signum() == 0 || d.signum() == 0) {
                continue;
            }
            Rational x = Rational.of(a, b);
            Rational y = Rational.of(c, d);
            assertEquals(ref(a, b), x.toString());
            assertEquals(ref(a.multiply(d).add(c.multiply(b)), b.multiply(d)), x.add(y).toString(), "add");
            assertEquals(ref(a.multiply(d).subtract(c.multiply(b)), b.multiply(d)), x.subtract(y).toString(), "sub");
            assertEquals(ref(a.multiply(c), b.multiply(d)), x.multiply(y).toString(), "mul");
            if (c.signum() != 0) {
                assertEquals(ref(a.multiply(d), b.multiply(c)), x.divide(y).toString(), "div");
            }
            int want = a.multiply(d).multiply(BigInteger.valueOf(b.signum() * d.signum()))
                    .compareTo(c.multiply(b).multiply(BigInteger.valueOf(b.signum() * d.signum())));
            assertEquals(Integer.signum(want), Integer.signum(x.compareTo(y)), "compare " + x + " " + y);
            assertEquals(x.equals(y), x.compareTo(y) == 0);
            // canonical form: equal values, equal objects, whatever the path that built them
            assertEquals(x, Rational.parse(x.toString()));
            assertEquals(x.hashCode(), Rational.parse(x.toString()).hashCode());
        }
    }

    @Test
    void longBoundaryValues() {
        Rational max = Rational.of(Long.MAX_VALUE);
        Rational min = Rational.of(Long.MIN_VALUE);
        assertEquals("9223372036854775808", max.add(Rational.ONE).toString());
        assertEquals("-9223372036854775808", min.toString());
        assertEquals("9223372036854775808", min.negate().toString());
        assertEquals(min, max.add(Rational.ONE).negate());
        assertEquals("85070591730234615847396907784232501249", max.multiply(max).toString());
        assertTrue(Rational.of(Long.MAX_VALUE - 1, Long.MAX_VALUE).compareTo(Rational.of(Long.MAX_VALUE - 2, Long.MAX_VALUE - 1)) > 0);
    }

    @ParameterizedTest
    @CsvSource({
        "3, 3", "-1/2, -1/2", "0.125, 1/8", "1e-3, 1/1000", "-.5, -1/2", "+2, 2", "2/4, 1/2",
        "1.5E2, 150", "0.1, 1/10", "-0, 0", "00012, 12", "6/-0.0e0x, ",
    })
    void parse(String text, String want) {
        if (want == null) {
            assertThrows(NumberFormatException.class, () -> Rational.parse(text));
        } else {
            assertEquals(want, Rational.parse(text).toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1/0", "NaN", "inf", "1/2/3", "1.5/2", "", " 1", "0x10", "1e", "e3", "1e999999"})
    void parseRejects(String text) {
        assertThrows(RuntimeException.class, () -> Rational.parse(text));
    }

    @Test
    void fromDoubleIsTheExactBinaryValue() {
        assertEquals("3602879701896397/36028797018963968", Rational.fromDouble(0.1).toString());
        assertEquals("13421773/134217728", Rational.fromFloat(0.1f).toString());
        assertEquals("1/2", Rational.fromDouble(0.5).toString());
        assertEquals("-3", Rational.fromDouble(-3.0).toString());
        assertEquals("0", Rational.fromDouble(-0.0).toString());
        assertEquals(BigInteger.ONE.shiftLeft(1074), Rational.fromDouble(Double.MIN_VALUE).denominator());
        assertEquals(Rational.of(BigInteger.TWO.pow(1024).subtract(BigInteger.TWO.pow(971))), Rational.fromDouble(Double.MAX_VALUE));
        assertThrows(ArithmeticException.class, () -> Rational.fromDouble(Double.NaN));
        assertThrows(ArithmeticException.class, () -> Rational.fromDouble(Double.POSITIVE_INFINITY));
    }

    /**
     * doubleValue() is the nearest double: no neighbouring double is closer (checked exactly),
     * and ties go to the even significand.
     */
    @Test
    void doubleValueRoundsToNearest() {
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            BigInteger a = randomBig(r);
            BigInteger b = randomBig(r);
            if (b.signum() == 0) {
                continue;
            }
            Rational x = Rational.of(a, b);
            double d = x.doubleValue();
            Rational err = x.subtract(Rational.fromDouble(d)).abs();
            for (double n : new double[]{Math.nextUp(d), Math.nextDown(d)}) {
                int c = err.compareTo(x.subtract(Rational.fromDouble(n)).abs());
                assertTrue(c < 0 || c == 0 && (Double.doubleToLongBits(d) & 1) == 0, x + " -> " + d + " but " + n + " is closer");
            }
            assertEquals(d, Rational.fromDouble(d).doubleValue());   // doubles round-trip
        }
        assertEquals(1.0 / 3, Rational.of(1, 3).doubleValue());
        BigInteger two53 = BigInteger.ONE.shiftLeft(53);
        assertEquals(1.0, Rational.of(two53.add(BigInteger.ONE), two53).doubleValue(),
                "1 + 2^-53 is halfway between 1 and 1 + 2^-52: ties to the even significand, 1");
        assertEquals(1 + 2 * Math.ulp(1.0), Rational.of(two53.add(BigInteger.valueOf(3)), two53).doubleValue(),
                "1 + 3*2^-53 is halfway between 1 + 2^-52 and 1 + 2^-51: ties to even, 1 + 2^-51");
    }

    @Test
    void helpers() {
        assertEquals("3/2", Rational.of(9, 4).sqrtExact().toString());
        assertNull(Rational.of(2).sqrtExact());
        assertNull(Rational.of(-4).sqrtExact());
        assertEquals(BigInteger.valueOf(-2), Rational.of(-3, 2).floor());
        assertEquals(BigInteger.valueOf(-1), Rational.of(-3, 2).ceil());
        assertEquals("8/27", Rational.of(2, 3).pow(3).toString());
        assertEquals("9/4", Rational.of(2, 3).pow(-2).toString());
        assertEquals("0.33333", Rational.of(1, 3).toDecimalString(5));
        assertFalse(Rational.of(1, 3).isInteger());
        assertThrows(ArithmeticException.class, () -> Rational.ZERO.reciprocal());
    }
}
