package org.netgeom.certify;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact volumes of hand-derived polytopes, including cuts through vertices (degenerate). */
class PolyTest {
    static BigInteger[] big(long... c) {
        BigInteger[] f = new BigInteger[c.length];
        for (int i = 0; i < c.length; i++) {
            f[i] = BigInteger.valueOf(c[i]);
        }
        return f;
    }

    static Z form(long... c) {
        return Z.of(big(c));
    }

    static Poly cube(int k) {
        Q[] lo = new Q[k];
        Q[] hi = new Q[k];
        java.util.Arrays.fill(lo, Q.ZERO);
        java.util.Arrays.fill(hi, Q.ONE);
        return Poly.box(lo, hi);
    }

    @Test
    void boxes() {
        assertEquals(Q.parse("15/2"), Poly.box(new Q[]{Q.parse("-1/2"), Q.ZERO, Q.ONE}, new Q[]{Q.ONE, Q.of(5), Q.of(2)}).volume());
        assertEquals(Q.of(3), Poly.box(new Q[]{Q.of(-1)}, new Q[]{Q.of(2)}).volume());
    }

    @Test
    void cornerSimplices() {
        // x1 + ... + xk <= 1 in the unit cube: the simplex of volume 1/k!; the cut passes through k cube vertices
        long[] fact = {1, 1, 2, 6, 24, 120};
        for (int k = 1; k <= 5; k++) {
            long[] c = new long[k + 1];
            java.util.Arrays.fill(c, -1);
            c[k] = 1;
            Poly p = cube(k).cut(form(c), 2 * k);
            assertEquals(Q.of(BigInteger.ONE, BigInteger.valueOf(fact[k])), p.volume(), "k = " + k);
            assertEquals(k + 1, p.v.size(), "a simplex has k + 1 vertices");
        }
    }

    @Test
    void volumesWhoseCoordinatesVanishModuloTheRankPrime() {
        // the rank mod 2^31 − 1 only speeds up the facet test; where the coordinates are multiples of that prime
        // (it sees every facet as a point) the exact rank decides, and the volumes stay exact
        BigInteger p = BigInteger.valueOf(2147483647L);
        Q side = Q.of(p, BigInteger.ONE);
        for (int k = 2; k <= 4; k++) {
            Q[] lo = new Q[k];
            Q[] hi = new Q[k];
            java.util.Arrays.fill(lo, Q.ZERO);
            java.util.Arrays.fill(hi, side);
            Poly box = Poly.box(lo, hi);
            assertEquals(Q.of(p.pow(k), BigInteger.ONE), box.volume(), "k = " + k);
            // x1 + ... + xk <= p: the corner simplex of volume p^k / k!
            BigInteger[] c = new BigInteger[k + 1];
            java.util.Arrays.fill(c, BigInteger.ONE.negate());
            c[k] = p;
            BigInteger fact = BigInteger.ONE;
            for (int i = 2; i <= k; i++) {
                fact = fact.multiply(BigInteger.valueOf(i));
            }
            Poly simplex = box.cut(Z.of(c), 2 * k);
            assertEquals(Q.of(p.pow(k), fact), simplex.volume(), "k = " + k);
            java.util.BitSet all = new java.util.BitSet();
            all.set(0, simplex.v.size());
            assertTrue(simplex.rankModP(all) < simplex.rank(all), "the prime hides the rank here: " + simplex.rankModP(all));
        }
    }

    @Test
    void inversesModTheRankPrime() {
        BigInteger p = BigInteger.valueOf(2147483647L);
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 2000; i++) {
            long a = i < 3 ? new long[]{1, 2, 2147483646L}[i] : 1 + rnd.nextInt(2147483646);
            assertEquals(BigInteger.valueOf(a).modInverse(p).longValue(), Poly.inverseModP(a), "a = " + a);
        }
    }

    @Test
    void halfCubesBySymmetry() {
        // x1 + ... + xk <= k/2 cuts the unit cube into two congruent halves (x -> 1 - x)
        for (int k = 2; k <= 4; k++) {
            long[] c = new long[k + 1];
            java.util.Arrays.fill(c, -2);
            c[k] = k;
            assertEquals(Q.parse("1/2"), cube(k).cut(form(c), 2 * k).volume(), "k = " + k);
        }
    }

    @Test
    void triangleAndSquareMinusCorner() {
        // unit square minus the corner x + y >= 3/2: 1 - (1/2)(1/2)^2 = 7/8; then also y <= x: half of it by symmetry
        Poly p = cube(2).cut(form(-2, -2, 3), 4);
        assertEquals(Q.parse("7/8"), p.volume());
        assertEquals(5, p.v.size());
        assertEquals(Q.parse("7/16"), p.cut(form(1, -1, 0), 5).volume());
        // a cut that misses the polytope or only touches a vertex
        assertEquals(Q.ONE, cube(2).cut(form(1, 1, 0), 4).volume());
        assertEquals(Q.ZERO, cube(2).cut(form(-1, -1, 0), 4).volume());
    }

    @Test
    void planeCutsAgreeWithTheGeneralCutsOfAPrism() {
        // the unit square cut by random lines (the cycle walk) against the unit cube cut by the same
        // lines as planes parallel to the third axis (the combinatorial edge test): area = volume
        java.util.Random rnd = new java.util.Random(5);
        for (int trial = 0; trial < 300; trial++) {
            Poly square = cube(2);
            Poly prism = cube(3);
            for (int c = 0; c < 1 + rnd.nextInt(6); c++) {
                long a = rnd.nextInt(9) - 4;
                long b = rnd.nextInt(9) - 4;
                long e = rnd.nextInt(9) - 2;           // lines through corners and edges too (degenerate cuts)
                square = square.cut(form(a, b, e), 4 + c);
                prism = prism.cut(form(a, b, 0, e), 6 + c);
            }
            assertEquals(prism.volume(), square.volume(), "trial " + trial);
            if (square.volume().signum() > 0) {
                assertEquals(2 * square.v.size(), prism.v.size(), "a prism has twice the polygon's vertices; trial " + trial);
            }
        }
    }

    @Test
    void determinant() {
        assertEquals(BigInteger.valueOf(-2), Poly.det(new BigInteger[][]{big(1, 2), big(3, 4)}));
        assertEquals(BigInteger.valueOf(3), Poly.det(new BigInteger[][]{big(0, 1, 0), big(1, 0, 0), big(0, 0, -3)}));
    }
}
