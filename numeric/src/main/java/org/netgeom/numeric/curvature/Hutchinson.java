package org.netgeom.numeric.curvature;

import org.netgeom.ir.Progress;
import org.netgeom.numeric.Rng;

/**
 * Hutchinson's trace estimator tr(A) ≈ mean of vᵀAv over Rademacher vectors v (Hutchinson 1990),
 * with PyHessian's stopping rule (Yao et al. 2020, {@code hessian.trace(maxIter, tol)}): stop
 * after sample i when |mean_i − mean_{i−1}| / (|mean_{i−1}| + 1e−6) &lt; tol. Vectors come from
 * {@code Rng.stream(seed, 3)}.
 */
public final class Hutchinson {
    /** The estimate (mean of the samples), the samples' standard error, and how many were drawn. */
    public record Result(double trace, double stdError, int samples) {
    }

    private Hutchinson() {
    }

    public static Result trace(LinearOperator a, int maxIter, double tol, long seed, Progress progress) {
        int n = a.dim();
        Rng rng = Rng.stream(seed, 3);
        double[] av = new double[n];
        double sum = 0;
        double sumSq = 0;
        double prev = 0;
        int i = 0;
        progress.start("trace", maxIter);
        try {
            while (i < maxIter) {
                double[] v = Vec.rademacher(n, rng);
                a.apply(v, av);
                double s = Vec.dot(v, av);
                sum += s;
                sumSq += s * s;
                i++;
                progress.step(1);
                double mean = sum / i;
                if (Math.abs(mean - prev) / (Math.abs(prev) + 1e-6) < tol) {
                    break;
                }
                prev = mean;
            }
        } finally {
            progress.done();
        }
        double mean = sum / i;
        double var = i > 1 ? Math.max(0, (sumSq - i * mean * mean) / (i - 1)) : 0;
        return new Result(mean, Math.sqrt(var / i), i);
    }
}
