package org.netgeom.symbolic.linalg;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Rational;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Definiteness decisions and eigenvalue enclosures on matrices whose spectra are known in closed form. */
class ExactMatricesTest {
    private static Rational[][] m(long[][] v) {
        Rational[][] out = new Rational[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = new Rational[v[i].length];
            for (int j = 0; j < v[i].length; j++) {
                out[i][j] = Rational.of(v[i][j]);
            }
        }
        return out;
    }

    @Test
    void decisionsWithCheckedWitnesses() {
        assertTrue(ExactMatrices.definite(m(new long[][]{{2, 1}, {1, 2}}), true).holds(), "eigenvalues 1, 3");
        ExactMatrices.Definiteness d = ExactMatrices.definite(m(new long[][]{{1, 2}, {2, 1}}), false);
        assertFalse(d.holds(), "eigenvalues -1, 3");
        assertTrue(d.witnessValue().signum() < 0);
        assertFalse(ExactMatrices.definite(m(new long[][]{{0, 1}, {1, 0}}), false).holds(), "zero pivot, eigenvalues -1, 1");
        assertTrue(ExactMatrices.definite(m(new long[][]{{1, 1}, {1, 1}}), false).holds(), "singular PSD");
        assertFalse(ExactMatrices.definite(m(new long[][]{{1, 1}, {1, 1}}), true).holds(), "singular: not PD");
        assertTrue(ExactMatrices.definite(m(new long[][]{{0, 0}, {0, 3}}), false).holds());
        assertFalse(ExactMatrices.definite(m(new long[][]{{0, 0, 0}, {0, 0, 2}, {0, 2, 1}}), false).holds());
    }

    @Test
    void enclosuresContainTheClosedForm() {
        // [[2, 1], [1, 2]]: 1 and 3; the 3x3 path graph Laplacian [[1,-1,0],[-1,2,-1],[0,-1,1]]: 0, 1, 3
        Rational w = Rational.of(1, 1L << 40);
        ExactMatrices.Enclosure lo = ExactMatrices.minEigenvalue(m(new long[][]{{2, 1}, {1, 2}}), w);
        assertTrue(lo.lo().compareTo(Rational.ONE) <= 0 && lo.hi().compareTo(Rational.ONE) >= 0, lo.toString());
        ExactMatrices.Enclosure hi = ExactMatrices.maxEigenvalue(m(new long[][]{{1, -1, 0}, {-1, 2, -1}, {0, -1, 1}}), w);
        assertTrue(hi.lo().compareTo(Rational.of(3)) <= 0 && hi.hi().compareTo(Rational.of(3)) >= 0, hi.toString());
        assertTrue(hi.hi().subtract(hi.lo()).compareTo(w) <= 0);
        // random Gram matrices: λ_min ≥ 0 and vᵀKv / vᵀv ≥ λ_min for any v (Rayleigh)
        Random r = new Random(3);
        for (int t = 0; t < 20; t++) {
            Rational[][] a = new Rational[3][4];
            for (Rational[] row : a) {
                for (int j = 0; j < 4; j++) {
                    row[j] = Rational.of(r.nextInt(11) - 5, 1 + r.nextInt(3));
                }
            }
            Rational[][] k = ExactMatrices.gram(a);
            ExactMatrices.Enclosure e = ExactMatrices.minEigenvalue(k, Rational.of(1, 1000));
            assertTrue(e.hi().signum() >= 0);
            Rational[] v = {Rational.ONE, Rational.of(-2), Rational.of(1, 3)};
            assertTrue(ExactMatrices.quadratic(k, v).divide(ExactMatrices.dot(v, v)).compareTo(e.lo()) >= 0);
        }
        assertEquals(Rational.of(7), ExactMatrices.gershgorin(m(new long[][]{{3, -4}, {1, 1}})));
    }
}
