package org.netgeom.numeric.curvature;

import org.netgeom.numeric.Rng;

/**
 * The dominant eigenvalue by power iteration, as PyHessian's {@code eigenvalues(top_n=1)}
 * (Yao et al. 2020): v ← Hv/‖Hv‖, λ = vᵀHv, stop when |λ − λ_prev|/(|λ_prev| + 1e−6) &lt; tol or
 * after maxIter products. The reference that {@code netgeom bench hessian} compares Lanczos with;
 * it finds the eigenvalue of largest magnitude, which is the largest algebraic one when that
 * dominates.
 */
public final class PowerIteration {
    /** The estimate and the products used. */
    public record Result(double value, int iterations) {
    }

    private PowerIteration() {
    }

    public static Result top(LinearOperator a, int maxIter, double tol, long seed) {
        int n = a.dim();
        Rng rng = Rng.stream(seed, 2);
        double[] v = Vec.gaussian(n, rng);
        Vec.scale(v, 1 / Vec.norm(v));
        double[] hv = new double[n];
        Double lambda = null;
        int i = 0;
        while (i < maxIter) {
            a.apply(v, hv);
            i++;
            double t = Vec.dot(hv, v);
            double nrm = Vec.norm(hv);
            if (nrm == 0) {
                return new Result(0, i);
            }
            System.arraycopy(hv, 0, v, 0, n);
            Vec.scale(v, 1 / nrm);
            if (lambda != null && Math.abs(lambda - t) / (Math.abs(lambda) + 1e-6) < tol) {
                lambda = t;
                break;
            }
            lambda = t;
        }
        return new Result(lambda == null ? 0 : lambda, i);
    }
}
