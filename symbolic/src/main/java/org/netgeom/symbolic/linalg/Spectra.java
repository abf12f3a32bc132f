package org.netgeom.symbolic.linalg;

import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Exact spectra of rational matrices: the eigenvalues of a symmetric matrix and the singular
 * values of any matrix, each an exact real algebraic number (a root of a square-free factor of
 * the characteristic polynomial with an isolating interval) with its multiplicity, and the exact
 * decision of Weyl's inequality for singular values, |σ_k(A + B) − σ_k(A)| ≤ σ₁(B)
 * (Weyl 1912; Horn &amp; Johnson, Topics in Matrix Analysis, Thm 3.3.16), for B = I.
 */
public final class Spectra {
    private Spectra() {
    }

    /** An eigenvalue (a root of the characteristic polynomial) and its algebraic multiplicity. */
    public record Eigen(RealRoot value, int multiplicity) {
    }

    /**
     * The distinct eigenvalues of a symmetric rational matrix, increasing, with multiplicities
     * (they add up to n): Yun's square-free decomposition of det(xI − A), then Sturm isolation of
     * each factor's roots (all real, A being symmetric).
     */
    public static List<Eigen> symmetricEigenvalues(Rational[][] a) {
        QPoly p = QMatrix.charPoly(a);
        List<Eigen> out = new ArrayList<>();
        int zeros = 0;                                   // the factor x^z: eigenvalue 0, cheaply
        while (zeros <= p.degree() && p.coeff(zeros).isZero()) {
            zeros++;
        }
        if (zeros > 0) {
            out.add(new Eigen(RealRoot.rational(Rational.ZERO), zeros));
            Rational[] c = p.coeffs();
            p = QPoly.of(java.util.Arrays.copyOfRange(c, zeros, c.length));
        }
        List<QPoly> sf = p.squareFreeDecomposition();
        for (int i = 0; i < sf.size(); i++) {
            for (RealRoot r : RealRoot.roots(sf.get(i))) {
                out.add(new Eigen(r, i + 1));
            }
        }
        out.sort((x, y) -> compare(x.value(), y.value()));
        return out;
    }

    /**
     * The eigenvalues of the n×n matrix f·AᵀA (A m×n, f ≥ 0), through the smaller Gram matrix:
     * f·AAᵀ has the same non-zero eigenvalues, and the other n − m are zero.
     */
    public static List<Eigen> gramEigenvalues(Rational[][] a, Rational f) {
        int m = a.length;
        int n = QMatrix.cols(a);
        Rational[][] g = QMatrix.gram(a);
        for (Rational[] row : g) {
            for (int j = 0; j < row.length; j++) {
                row[j] = row[j].multiply(f);
            }
        }
        List<Eigen> e = symmetricEigenvalues(g);
        if (m >= n) {
            return e;
        }
        List<Eigen> out = new ArrayList<>();
        int extra = n - m;
        if (!e.isEmpty() && e.get(0).value().compareTo(Rational.ZERO) == 0) {
            out.add(new Eigen(e.get(0).value(), e.get(0).multiplicity() + extra));
            out.addAll(e.subList(1, e.size()));
        } else {
            out.add(new Eigen(RealRoot.rational(Rational.ZERO), extra));
            out.addAll(e);
        }
        return out;
    }

    static int compare(RealRoot x, RealRoot y) {
        return x.compareTo(y);
    }

    /** The eigenvalues with repetition (each as often as its multiplicity), increasing. */
    public static List<RealRoot> withRepetition(List<Eigen> eig) {
        List<RealRoot> out = new ArrayList<>();
        for (Eigen e : eig) {
            for (int i = 0; i < e.multiplicity(); i++) {
                out.add(e.value());
            }
        }
        return out;
    }

    /** A singular value σ = √λ with λ an eigenvalue of the Gram matrix. */
    public record Singular(RealRoot squared, CReal value) {
        static Singular of(RealRoot lambda) {
            return new Singular(lambda, CReal.sqrt(lambda));
        }

        /** True when σ = 0 exactly. */
        public boolean isZero() {
            Rational e = squared.exact();
            return e != null && e.isZero();
        }
    }

    /**
     * The min(m, n) singular values of an m×n rational matrix, decreasing, with repetition:
     * square roots of the eigenvalues of AᵀA or AAᵀ (whichever is smaller).
     */
    public static List<Singular> singularValues(Rational[][] a) {
        if (a.length == 0 || QMatrix.cols(a) == 0) {
            return List.of();
        }
        List<RealRoot> lambdas = withRepetition(symmetricEigenvalues(QMatrix.gram(a)));
        List<Singular> out = new ArrayList<>();
        for (RealRoot l : lambdas) {
            out.add(Singular.of(l));
        }
        Collections.reverse(out);
        return out;
    }

    /**
     * The exact sign of √α − √β − 1 for algebraic α, β ≥ 0 (the two sides of one Weyl pair).
     * Certified enclosures decide it unless it is zero; then equality is proved algebraically:
     * with s = √β, √α = s + 1 means s is a common root of q_β(s) = p_β(s²) and q_α(s + 1), so s is
     * a root of g = gcd(q_β(s), q_α(s + 1)); Descartes counts g's roots in an interval that isolates s
     * among the roots of q_β. If s is no root of g, the difference is non-zero and refinement
     * settles its sign.
     */
    public static int signOfGapMinusOne(RealRoot alpha, RealRoot beta) {
        CReal gap = CReal.sqrt(alpha).subtract(CReal.sqrt(beta)).subtract(CReal.of(Rational.ONE));
        Rational ea = alpha.exact();
        Rational eb = beta.exact();
        if (ea != null && eb != null && ea.sqrtExact() != null && eb.sqrtExact() != null) {
            return gap.exact().signum();
        }
        int s = gap.signum(256);
        if (s != 0) {
            return s;
        }
        if (isGapExactlyOne(alpha, beta)) {
            return 0;
        }
        for (int bits = 512; ; bits *= 2) {
            s = gap.signum(bits);
            if (s != 0) {
                return s;
            }
        }
    }

    private static boolean isGapExactlyOne(RealRoot alpha, RealRoot beta) {
        if (beta.compareTo(Rational.ZERO) == 0) {              // s = 0: √α = 1 iff α = 1
            return alpha.compareTo(Rational.ONE) == 0;
        }
        if (alpha.compareTo(Rational.ONE) < 0) {              // √α < 1 ≤ s + 1
            return false;
        }
        QPoly qb = beta.poly().ofSquare().squareFree();
        QPoly qa = alpha.poly().ofSquare().shift(Rational.ONE);
        QPoly g = QPoly.gcd(qb, qa);
        if (g.degree() <= 0) {
            return false;
        }
        QPoly gs = g.squareFree();
        CReal s = CReal.sqrt(beta);
        for (int bits = 16; ; bits *= 2) {
            Interval j = s.enclose(bits);
            Rational lo = j.lo().subtract(CReal.pow2(bits));
            Rational hi = j.hi();
            if (qb.signAt(hi) == 0) {
                hi = hi.add(CReal.pow2(bits + 1));
            }
            if (lo.signum() > 0 && Descartes.count(qb, lo, hi) == 1) {
                return Descartes.count(gs, lo, hi) >= 1;
            }
        }
    }

    /** The outcome of Weyl's inequality for one pair σ_k(I + J), σ_k(J). */
    public record WeylPair(int k, Singular withIdentity, Singular without, CReal gap, boolean holds, boolean equality) {
    }

    /**
     * Checks |σ_k(I + J) − σ_k(J)| ≤ 1 for every k, exactly (both directions of the difference by
     * {@link #signOfGapMinusOne}); the singular value lists are decreasing and equally long.
     */
    public static List<WeylPair> weyl(List<Singular> withIdentity, List<Singular> without) {
        if (withIdentity.size() != without.size()) {
            throw new IllegalArgumentException("Weyl pairs need equally many singular values");
        }
        List<WeylPair> out = new ArrayList<>();
        for (int k = 0; k < without.size(); k++) {
            Singular a = withIdentity.get(k);
            Singular b = without.get(k);
            int up = signOfGapMinusOne(a.squared(), b.squared());     // sign of σa − σb − 1
            int down = signOfGapMinusOne(b.squared(), a.squared());   // sign of σb − σa − 1
            CReal gap = a.value().subtract(b.value());
            boolean eq = up == 0 || down == 0;
            if (eq) {
                gap = CReal.of(up == 0 ? Rational.ONE : Rational.MINUS_ONE);
            }
            out.add(new WeylPair(k + 1, a, b, gap, up <= 0 && down <= 0, eq));
        }
        return out;
    }
}
