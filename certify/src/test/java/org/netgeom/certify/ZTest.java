package org.netgeom.certify;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Z's long paths against BigInteger arithmetic done here: random entries of every size up to 63
 * bits, so that many products and sums overflow a long and take the fallback.
 */
class ZTest {
    static final Random RND = new Random(13);

    static long entry() {
        long x = RND.nextLong() >> RND.nextInt(64);       // 0 to 63 significant bits
        return RND.nextInt(8) == 0 ? 0 : x;
    }

    static Z random(int n) {
        long[] l = new long[n];
        Arrays.setAll(l, j -> entry());
        return new Z(l);
    }

    static BigInteger[] big(Z z) {
        BigInteger[] b = new BigInteger[z.size()];
        Arrays.setAll(b, j -> BigInteger.valueOf(z.l[j]));
        return b;
    }

    static BigInteger dot(BigInteger[] a, BigInteger[] b) {
        BigInteger s = BigInteger.ZERO;
        for (int j = 0; j < a.length; j++) {
            s = s.add(a[j].multiply(b[j]));
        }
        return s;
    }

    @Test
    void arithmeticAgreesWithBigInteger() {
        int overflowed = 0;
        for (int trial = 0; trial < 20000; trial++) {
            Z a = random(3);
            Z b = random(3);
            BigInteger[] x = big(a);
            BigInteger[] y = big(b);
            BigInteger d = dot(x, y);
            overflowed += d.bitLength() > 63 ? 1 : 0;
            assertEquals(d, Z.dot(a, b));
            assertEquals(d.signum(), Z.dotSign(a, b));
            long c = entry();
            BigInteger[] sum = new BigInteger[3];
            BigInteger[] scaled = new BigInteger[3];
            for (int j = 0; j < 3; j++) {
                sum[j] = x[j].add(y[j].multiply(BigInteger.valueOf(c)));
                scaled[j] = x[j].multiply(BigInteger.valueOf(c));
            }
            assertArrayEquals(sum, a.add(b, c).big());
            assertArrayEquals(scaled, a.scale(BigInteger.valueOf(c)).big());
            assertEquals(Z.of(sum), a.add(b, c), "a vector that fits is held as longs, so equality is by value");
            BigInteger[] m = {x[1].multiply(y[2]).subtract(x[2].multiply(y[1])), x[2].multiply(y[0]).subtract(x[0].multiply(y[2])),
                x[0].multiply(y[1]).subtract(x[1].multiply(y[0]))};
            if (m[2].signum() != 0) {
                BigInteger sign = BigInteger.valueOf(m[2].signum());
                assertArrayEquals(Arrays.stream(m).map(v -> v.multiply(sign)).toArray(), Z.meet(a, b).big());
            }
            BigInteger g = Arrays.stream(x).reduce(BigInteger.ZERO, BigInteger::gcd);
            if (g.signum() != 0) {
                assertArrayEquals(Arrays.stream(x).map(v -> v.divide(g)).toArray(), a.primitive().big());
            }
            long p = Math.abs(entry());
            long q = Math.abs(entry());
            assertEquals(BigInteger.valueOf(p).gcd(BigInteger.valueOf(q)).longValue(), Z.gcd(p, q));
        }
        assertTrue(overflowed > 1000, "the trials must exercise the BigInteger fallback: " + overflowed);
    }

    @Test
    void dotsOfLongVectorsAgreeWithBigIntegerPastOneHundredTwentySevenBits() {
        long[] edge = {Long.MIN_VALUE, Long.MAX_VALUE, -Long.MAX_VALUE, 1L << 62, -(1L << 62), -1, 1, 0};
        int past127 = 0;
        for (int trial = 0; trial < 20000; trial++) {
            int n = 1 + RND.nextInt(7);
            long[] x = new long[n];
            long[] y = new long[n];
            for (int j = 0; j < n; j++) {
                boolean extreme = trial % 2 == 0;          // half the trials near ±2^63 throughout
                x[j] = extreme || RND.nextInt(3) == 0 ? edge[RND.nextInt(extreme ? 3 : edge.length)] : entry();
                y[j] = extreme || RND.nextInt(3) == 0 ? edge[RND.nextInt(extreme ? 3 : edge.length)] : entry();
            }
            Z a = new Z(x);
            Z b = new Z(y);
            BigInteger d = dot(big(a), big(b));
            past127 += d.bitLength() > 127 ? 1 : 0;
            assertEquals(d, Z.dot(a, b));
            assertEquals(d.signum(), Z.dotSign(a, b));
        }
        assertTrue(past127 > 100, "the trials must leave the 128-bit range too: " + past127);
    }

    @Test
    void vectorsAreLongsExactlyWhenTheyFit() {
        BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
        assertNotNull(Z.of(new BigInteger[]{max, max.negate().subtract(BigInteger.ONE)}).l);
        Z past = Z.of(new BigInteger[]{max.add(BigInteger.ONE), BigInteger.ONE});
        assertNull(past.l);
        assertEquals(max.add(BigInteger.ONE), past.get(0));
        assertEquals(BigInteger.valueOf(-2).multiply(max.add(BigInteger.ONE)), past.scale(BigInteger.valueOf(-2)).get(0));
        assertEquals(-1, Z.dotSign(new Z(new long[]{Long.MAX_VALUE, Long.MAX_VALUE}), new Z(new long[]{-Long.MAX_VALUE, -1})));
    }

    @Test
    void directParsingAgreesWithDecimalParsing() {
        for (int trial = 0; trial < 5000; trial++) {
            BigInteger p = new BigInteger(1 + RND.nextInt(70), RND).multiply(BigInteger.valueOf(RND.nextBoolean() ? 1 : -1));
            BigInteger q = new BigInteger(1 + RND.nextInt(70), RND).add(BigInteger.ONE);
            Q r = Q.parse(p + "/" + q);
            assertEquals(1, r.d().signum());
            assertEquals(BigInteger.ONE, r.n().gcd(r.d()));
            assertEquals(r.n().multiply(q), p.multiply(r.d()), p + "/" + q);
            assertEquals(new Q(p, BigInteger.ONE), Q.parse(p.toString()));
        }
        assertEquals(Q.parse("1/8"), Q.parse("0.125"));
        assertEquals(Q.parse("-3/2"), Q.parse("-1.5"));
        assertEquals(Q.parse("1000"), Q.parse("1e3"));
    }
}
