package org.netgeom.numeric.exact;

import org.netgeom.ir.Rational;

import java.math.BigInteger;

/**
 * Exact certificates for eigenvalues of a rational symmetric matrix, independent of any
 * floating-point eigen-solver: by Sylvester's law of inertia the number of eigenvalues of H
 * above λ is the number of positive pivots of the elimination of H − λI, i.e. the number of
 * sign agreements between consecutive leading principal minors, computed exactly in integers by
 * Bareiss's fraction-free elimination (Bareiss 1968). A value v is certified as the k-th largest
 * eigenvalue within ±δ when count(v − δ) ≥ k and count(v + δ) &lt; k.
 */
public final class ExactEigen {
    private ExactEigen() {
    }

    /** Eigenvalues of h strictly above lambda, or −1 when a leading minor is exactly zero (try a nearby λ). */
    static int countAbove(Rational[][] h, Rational lambda) {
        int n = h.length;
        BigInteger lcm = lambda.denominator();
        for (Rational[] row : h) {
            for (Rational v : row) {
                BigInteger d = v.denominator();
                lcm = lcm.divide(lcm.gcd(d)).multiply(d);
            }
        }
        BigInteger[][] a = new BigInteger[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                Rational v = i == j ? h[i][j].subtract(lambda) : h[i][j];
                a[i][j] = v.numerator().multiply(lcm.divide(v.denominator()));
            }
        }
        BigInteger prev = BigInteger.ONE;
        int pos = 0;
        for (int k = 0; k < n; k++) {
            BigInteger pivot = a[k][k];
            if (pivot.signum() == 0) {
                return -1;
            }
            if (pivot.signum() * prev.signum() > 0) {
                pos++;
            }
            for (int i = k + 1; i < n; i++) {
                for (int j = k + 1; j < n; j++) {
                    a[i][j] = a[i][j].multiply(pivot).subtract(a[i][k].multiply(a[k][j])).divide(prev);
                }
            }
            prev = pivot;
        }
        return pos;
    }

    /**
     * True when the k-th largest eigenvalue of h lies in [v − δ, v + δ], certified exactly (the
     * bounds are nudged inwards by δ/1000 steps if a leading minor vanishes at them).
     */
    public static boolean certify(Rational[][] h, int k, double v, double delta) {
        Rational d = Rational.fromDouble(delta);
        Rational lo = Rational.fromDouble(v).subtract(d);
        Rational hi = Rational.fromDouble(v).add(d);
        Rational nudge = d.divide(Rational.of(1000));
        int cl = countAbove(h, lo);
        while (cl < 0) {
            lo = lo.add(nudge);
            cl = countAbove(h, lo);
        }
        int ch = countAbove(h, hi);
        while (ch < 0) {
            hi = hi.subtract(nudge);
            ch = countAbove(h, hi);
        }
        return cl >= k && ch < k;
    }
}
