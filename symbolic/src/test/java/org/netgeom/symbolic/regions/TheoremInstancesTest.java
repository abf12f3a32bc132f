package org.netgeom.symbolic.regions;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.bounds.RegionBounds;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closed forms from the papers, checked on the enumeration:
 * <ul>
 *   <li>Telgarsky 2016 ("Benefits of depth in neural networks", Lemma 2.4 / Fig. 1): the tent map
 *       t composed k times is a sawtooth with 2^k affine pieces on [0, 1], breakpoints j/2^k and
 *       slopes alternating +2^k, −2^k;</li>
 *   <li>Yarotsky 2017 ("Error bounds for approximations with deep ReLU networks", Prop. 2):
 *       f_m = x − Σ_{s≤m} g_s/4^s is the piecewise-linear interpolation of x² at the points
 *       j/2^m, so its breakpoints are j/2^m, f_m(j/2^m) = (j/2^m)², and on [j/2^m, (j+1)/2^m]
 *       it is the chord (2j+1)/2^m · x − j(j+1)/4^m.</li>
 * </ul>
 */
class TheoremInstancesTest {
    private static final Domain UNIT = Domain.box(new Rational[]{Rational.ZERO}, new Rational[]{Rational.ONE});

    @ParameterizedTest(name = "tent composed {0} times")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void telgarskyTent(int k) {
        RegionSet rs = Regions.enumerate(TestNets.tent(k), UNIT, Options.defaults());
        long n = 1L << k;
        assertEquals(n, rs.affinePieces(), "2^k affine pieces");
        assertTrue(RegionBounds.of(TestNets.tent(k)).serra().compareTo(java.math.BigInteger.valueOf(rs.activationRegions())) >= 0,
                "within the Serra bound");
        List<RegionSet.Interval> iv = rs.intervals();
        for (int j = 0; j < n; j++) {
            RegionSet.Interval in = iv.get(j);
            assertEquals(Rational.of(j, n), in.lo());
            assertEquals(Rational.of(j + 1, n), in.hi());
            Rational slope = Rational.of(j % 2 == 0 ? n : -n);
            assertEquals(slope, in.piece().map().a(0, 0), "slope on piece " + j);
            // t^k(j/2^k) = 0 for even j, 1 for odd j: the piece through its left end
            Rational left = in.piece().map().apply(new Rational[]{in.lo()})[0];
            assertEquals(Rational.of(j % 2), left);
        }
    }

    @ParameterizedTest(name = "Yarotsky f_{0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void yarotskySquare(int m) {
        RegionSet rs = Regions.enumerate(TestNets.yarotsky(m), UNIT, Options.defaults());
        long n = 1L << m;
        assertTrue(RegionBounds.of(TestNets.yarotsky(m)).serra().compareTo(java.math.BigInteger.valueOf(rs.activationRegions())) >= 0,
                "within the Serra bound");
        List<RegionSet.Interval> iv = rs.intervals();
        assertEquals(n, iv.size(), "2^m pieces");
        for (int j = 0; j < n; j++) {
            RegionSet.Interval in = iv.get(j);
            Rational a = Rational.of(j, n);
            Rational b = Rational.of(j + 1, n);
            assertEquals(a, in.lo());
            assertEquals(b, in.hi());
            AffineMap f = in.piece().map();
            assertEquals(a.multiply(a), f.apply(new Rational[]{a})[0], "f_m(j/2^m) = (j/2^m)^2");
            assertEquals(b.multiply(b), f.apply(new Rational[]{b})[0], "f_m((j+1)/2^m) = ((j+1)/2^m)^2");
            assertEquals(Rational.of(2L * j + 1, n), f.a(0, 0), "chord slope");
            assertEquals(Rational.of(-(long) j * (j + 1), n * n), f.b(0), "chord intercept");
        }
    }
}
