package org.netgeom.symbolic.linalg;

import org.netgeom.ir.Rational;

/**
 * Exact decisions about rational symmetric matrices, with certificates: positive
 * (semi)definiteness by symmetric Gaussian elimination (an LDLᵀ factorisation without pivoting),
 * a rational witness vector v with vᵀMv ≤ 0 (or &lt; 0) when the answer is no, and certified
 * rational enclosures of the extreme eigenvalues by bisection on those exact decisions
 * (λ_min(M) = sup{μ : M − μI is positive definite}).
 */
public final class ExactMatrices {
    private ExactMatrices() {
    }

    /** The outcome of a definiteness test: yes, or no with a checked witness vector. */
    public record Definiteness(boolean holds, Rational[] witness, Rational witnessValue) {
    }

    /** M·v. */
    public static Rational[] times(Rational[][] m, Rational[] v) {
        Rational[] out = new Rational[m.length];
        for (int i = 0; i < m.length; i++) {
            Rational s = Rational.ZERO;
            for (int j = 0; j < v.length; j++) {
                s = s.add(m[i][j].multiply(v[j]));
            }
            out[i] = s;
        }
        return out;
    }

    /** u·v. */
    public static Rational dot(Rational[] u, Rational[] v) {
        Rational s = Rational.ZERO;
        for (int i = 0; i < u.length; i++) {
            s = s.add(u[i].multiply(v[i]));
        }
        return s;
    }

    /** vᵀMv. */
    public static Rational quadratic(Rational[][] m, Rational[] v) {
        return dot(v, times(m, v));
    }

    /** M − μI. */
    public static Rational[][] shift(Rational[][] m, Rational mu) {
        Rational[][] out = new Rational[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
            out[i][i] = out[i][i].subtract(mu);
        }
        return out;
    }

    /** A·Aᵀ. */
    public static Rational[][] gram(Rational[][] a) {
        int n = a.length;
        Rational[][] k = new Rational[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                k[i][j] = dot(a[i], a[j]);
                k[j][i] = k[i][j];
            }
        }
        return k;
    }

    /**
     * Is the symmetric matrix M positive definite ({@code strict}) or positive semidefinite? When
     * not, the result carries v with vᵀMv ≤ 0, v ≠ 0 (strict) or vᵀMv &lt; 0 (semidefinite),
     * checked exactly before it is returned.
     */
    public static Definiteness definite(Rational[][] m, boolean strict) {
        int n = m.length;
        Rational[][] a = new Rational[n][];
        for (int i = 0; i < n; i++) {
            a[i] = m[i].clone();
        }
        Rational[][] l = new Rational[n][n];          // unit lower-triangular multipliers
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                l[i][j] = i == j ? Rational.ONE : Rational.ZERO;
            }
        }
        for (int k = 0; k < n; k++) {
            Rational p = a[k][k];
            int s = p.signum();
            if (s < 0 || (strict && s == 0)) {
                return failure(m, l, k, strict);
            }
            if (s == 0) {
                for (int j = k + 1; j < n; j++) {
                    if (!a[k][j].isZero()) {
                        return zeroPivotFailure(m, l, k, j, a[j][j], a[k][j]);
                    }
                }
                continue;
            }
            for (int i = k + 1; i < n; i++) {
                Rational f = a[i][k].divide(p);
                l[i][k] = f;
                for (int j = k; j < n; j++) {
                    a[i][j] = a[i][j].subtract(f.multiply(a[k][j]));
                }
            }
        }
        return new Definiteness(true, null, null);
    }

    /** v = L^{-T} e_k gives vᵀMv = D_kk (the failed pivot). */
    private static Definiteness failure(Rational[][] m, Rational[][] l, int k, boolean strict) {
        Rational[] v = solveUpper(l, k, unit(m.length, k));
        return checked(m, v, strict);
    }

    /**
     * A zero pivot with a non-zero entry b = a[k][j] in its row: on the reduced matrix, the
     * 2x2 block [[0, b], [b, c]] is indefinite; w = (c + 1)·e_k − b·e_j... chosen as
     * e_k·t − e_j·sign with t = −(c + 1)/(2b) gives w'Aw = −(c + 1)²/(2) ... computed exactly.
     */
    private static Definiteness zeroPivotFailure(Rational[][] m, Rational[][] l, int k, int j, Rational c, Rational b) {
        // on the reduced block, q(t) = 2 t b + c for w = t e_k + e_j: choose t = -(|c| + 1) / b, so q = -2|c| - 2 + c < 0
        Rational t = c.abs().add(Rational.ONE).negate().divide(b);
        Rational[] w = new Rational[m.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = i == k ? t : i == j ? Rational.ONE : Rational.ZERO;
        }
        Rational[] v = solveUpper(l, m.length - 1, w);
        return checked(m, v, false);
    }

    private static Definiteness checked(Rational[][] m, Rational[] v, boolean strict) {
        Rational q = quadratic(m, v);
        boolean ok = strict ? q.signum() <= 0 : q.signum() < 0;
        boolean nonzero = false;
        for (Rational x : v) {
            nonzero |= !x.isZero();
        }
        if (!ok || !nonzero) {
            throw new IllegalStateException("definiteness witness failed its exact check: v'Mv = " + q);
        }
        return new Definiteness(false, v, q);
    }

    private static Rational[] unit(int n, int k) {
        Rational[] e = new Rational[n];
        for (int i = 0; i < n; i++) {
            e[i] = i == k ? Rational.ONE : Rational.ZERO;
        }
        return e;
    }

    /** Solves Lᵀ v = rhs for the unit lower-triangular L, using rows/columns 0..last. */
    private static Rational[] solveUpper(Rational[][] l, int last, Rational[] rhs) {
        int n = rhs.length;
        Rational[] v = rhs.clone();
        for (int i = Math.min(last, n - 1); i >= 0; i--) {
            Rational s = v[i];
            for (int j = i + 1; j <= Math.min(last, n - 1); j++) {
                s = s.subtract(l[j][i].multiply(v[j]));
            }
            v[i] = s;
        }
        return v;
    }

    /** A certified enclosure [lo, hi] of an extreme eigenvalue, hi − lo ≤ width. */
    public record Enclosure(Rational lo, Rational hi) {
    }

    /** λ_min(M) ∈ [lo, hi]: M − lo·I is positive definite, M − hi·I is not. */
    public static Enclosure minEigenvalue(Rational[][] m, Rational width) {
        Rational bound = gershgorin(m);
        Rational lo = bound.negate().subtract(Rational.ONE);          // M - lo I is PD
        Rational hi = bound.add(Rational.ONE);                         // M - hi I is not
        while (hi.subtract(lo).compareTo(width) > 0) {
            Rational mid = lo.add(hi).multiply(Rational.HALF);
            if (definite(shift(m, mid), true).holds()) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return new Enclosure(lo, hi);
    }

    /** λ_max(M) ∈ [lo, hi], from λ_min(−M). */
    public static Enclosure maxEigenvalue(Rational[][] m, Rational width) {
        Rational[][] neg = new Rational[m.length][];
        for (int i = 0; i < m.length; i++) {
            neg[i] = new Rational[m.length];
            for (int j = 0; j < m.length; j++) {
                neg[i][j] = m[i][j].negate();
            }
        }
        Enclosure e = minEigenvalue(neg, width);
        return new Enclosure(e.hi().negate(), e.lo().negate());
    }

    /** max over rows of Σ|m_ij|, a bound on every |eigenvalue|. */
    static Rational gershgorin(Rational[][] m) {
        return maxAbsRowSum(m);
    }

    /** ‖M‖_∞ = max over rows of Σ_j |m_ij|, the ℓ∞ → ℓ∞ operator norm (0 for no rows). */
    public static Rational maxAbsRowSum(Rational[][] m) {
        Rational best = Rational.ZERO;
        for (Rational[] row : m) {
            Rational s = Rational.ZERO;
            for (Rational x : row) {
                s = s.add(x.abs());
            }
            best = best.max(s);
        }
        return best;
    }
}
