package org.netgeom.symbolic.kernels;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealMatrix;

/**
 * Gauss–Hermite quadrature for the two-dimensional Gaussian expectations of the kernel recursion:
 * with u = √q z₁ and v = √q' (c z₁ + √(1 − c²) z₂), c = s/√(q q'), z₁, z₂ independent standard
 * normal,
 * <pre>  E[f(u) g(v)] ≈ Σ_i Σ_j ω_i ω_j f(u(z_i)) g(v(z_i, z_j)),   z_i = √2 x_i,  ω_i = w_i/√π,</pre>
 * the tensor product of the N-point rule for ∫ e^{−x²} h(x) dx (nodes x_i, weights w_i by
 * Golub &amp; Welsch 1969: the eigenvalues of the Jacobi matrix with off-diagonal √(k/2), the
 * weights √π·v₀²). The rule is exact for polynomials of degree 2N − 1 in each variable; for the
 * smooth activations (analytic in a strip around the real axis) the error falls geometrically in
 * √N. {@link Quadrature} estimates it by comparing the N-point and the ⌈3N/4⌉-point rules.
 */
final class GaussHermite {
    final double[] z;
    final double[] w;

    /** The N-point rule for a standard normal variable (nodes z_i, weights ω_i summing to 1). */
    GaussHermite(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("at least one node");
        }
        RealMatrix j = new Array2DRowRealMatrix(n, n);
        for (int k = 1; k < n; k++) {
            double b = Math.sqrt(k / 2.0);
            j.setEntry(k - 1, k, b);
            j.setEntry(k, k - 1, b);
        }
        EigenDecompositionSymmetric e = new EigenDecompositionSymmetric(j);
        double[] x = e.getEigenvalues();
        z = new double[n];
        w = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double v0 = e.getEigenvector(k).getEntry(0);
            z[k] = Math.sqrt(2) * x[k];
            w[k] = v0 * v0;
            sum += w[k];
        }
        for (int k = 0; k < n; k++) {
            w[k] /= sum;                  // Σ v₀² = 1 up to rounding; the weights of E[1] = 1
        }
    }

    /** {E[φ(u)φ(v)], E[φ'(u)φ'(v)]} for variances q1, q2 and covariance s. */
    void expect(Activation phi, double q1, double q2, double s, double[] out) {
        double r1 = Math.sqrt(Math.max(q1, 0));
        double r2 = Math.sqrt(Math.max(q2, 0));
        double c = r1 * r2 > 0 ? Math.max(-1, Math.min(1, s / (r1 * r2))) : 0;
        double a = r2 * c;
        double b = r2 * Math.sqrt(Math.max(0, 1 - c * c));
        double e0 = 0;
        double e1 = 0;
        for (int i = 0; i < z.length; i++) {
            double u = r1 * z[i];
            double inner0 = 0;
            double inner1 = 0;
            for (int k = 0; k < z.length; k++) {
                double v = a * z[i] + b * z[k];
                inner0 += w[k] * phi.value(v);
                inner1 += w[k] * phi.derivative(v);
            }
            e0 += w[i] * phi.value(u) * inner0;
            e1 += w[i] * phi.derivative(u) * inner1;
        }
        out[0] = e0;
        out[1] = e1;
    }
}
