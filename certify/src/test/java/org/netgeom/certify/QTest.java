package org.netgeom.certify;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Q.add (Henrici's lowest-terms sum) against the plain sum reduced by one gcd of numerator and
 * denominator, done here with BigInteger: random fractions of 1 to 300 bits that share factors
 * (powers of 2, 3, 5, 7 and random primes), so that both gcds of the method are exercised.
 */
class QTest {
    private static final Random RND = new Random(5);
    private static final BigInteger[] SMALL = {BigInteger.TWO, BigInteger.valueOf(3), BigInteger.valueOf(5), BigInteger.valueOf(7),
        BigInteger.probablePrime(40, new Random(1)), BigInteger.probablePrime(70, new Random(2))};

    private static BigInteger factor() {
        BigInteger x = new BigInteger(1 + RND.nextInt(300), RND).add(BigInteger.ONE);
        for (int i = RND.nextInt(6); i > 0; i--) {
            x = x.multiply(SMALL[RND.nextInt(SMALL.length)]);
        }
        return x;
    }

    @Test
    void sumsAreTheReducedPlainSums() {
        int shared = 0;
        for (int trial = 0; trial < 5000; trial++) {
            BigInteger n1 = RND.nextInt(10) == 0 ? BigInteger.ZERO : factor().multiply(BigInteger.valueOf(RND.nextBoolean() ? 1 : -1));
            BigInteger n2 = RND.nextInt(10) == 0 ? BigInteger.ZERO : factor().multiply(BigInteger.valueOf(RND.nextBoolean() ? 1 : -1));
            BigInteger common = RND.nextBoolean() ? factor() : BigInteger.ONE;
            Q a = Q.of(n1, factor().multiply(common));
            Q b = Q.of(n2, factor().multiply(common));
            if (RND.nextInt(8) == 0) {
                b = a.neg();                                   // a sum that is exactly zero
            }
            shared += a.d().gcd(b.d()).equals(BigInteger.ONE) ? 0 : 1;
            BigInteger n = a.n().multiply(b.d()).add(b.n().multiply(a.d()));
            BigInteger d = a.d().multiply(b.d());
            BigInteger g = n.gcd(d);
            Q sum = a.add(b);
            assertEquals(n.divide(g), sum.n());
            assertEquals(d.divide(g), sum.d());
        }
        assertTrue(shared > 1000, "denominators with common factors: " + shared);
    }
}
