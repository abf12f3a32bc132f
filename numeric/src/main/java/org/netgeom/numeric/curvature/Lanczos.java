package org.netgeom.numeric.curvature;

import org.netgeom.ir.Progress;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The k largest (algebraic) eigenvalues of a symmetric operator by the Lanczos method with full
 * reorthogonalisation (Lanczos 1950; Golub and Van Loan, Matrix Computations, 4th ed., §10.1
 * and §10.3): Krylov vectors q₁, q₂, … with A qⱼ = βⱼ₋₁qⱼ₋₁ + αⱼqⱼ + βⱼqⱼ₊₁, Ritz values θ the
 * eigenvalues of the tridiagonal Tⱼ. A Ritz pair (θ, s) has residual ‖A y − θ y‖ = βⱼ|sⱼ|;
 * the top k are accepted when each residual is at most {@code tol}·‖T‖. When βⱼ vanishes the
 * Krylov space is invariant (it holds one copy of each eigenvalue it reaches) and the iteration
 * restarts from a fresh random vector orthogonal to all previous ones (a zero coupling in T); the
 * answer is accepted at such a breakdown once a restarted block adds no eigenvalue above the
 * current k-th, which finds repeated eigenvalues, and run to dimension n it returns the exact
 * spectrum. The start vectors are Gaussian from {@code Rng.stream(seed, 2)}.
 */
public final class Lanczos {
    /**
     * @param values     the k largest Ritz values, descending
     * @param residuals  their residual bounds βⱼ|sⱼ|
     * @param iterations the Krylov dimension reached (= operator applications)
     */
    public record Result(double[] values, double[] residuals, int iterations, boolean converged) {
    }

    private Lanczos() {
    }

    public static Result topK(LinearOperator a, int k, int maxIter, double tol, long seed, Progress progress) {
        int n = a.dim();
        if (k < 1 || k > n) {
            throw NumericError.BAD_OPTION.at("--top-k", "--top-k must be between 1 and the number of parameters (" + n + "), not " + k);
        }
        int m = Math.max(k, Math.min(maxIter, n));
        Rng rng = Rng.stream(seed, 2);
        List<double[]> q = new ArrayList<>();
        double[] alpha = new double[m];
        double[] beta = new double[m];
        double[] v = Vec.gaussian(n, rng);
        Vec.scale(v, 1 / Vec.norm(v));
        q.add(v);
        double[] w = new double[n];
        Result last = null;
        double scale = 0;
        int block = 0;
        progress.start("lanczos", m);
        try {
            for (int j = 0; j < m; j++) {
                double[] qj = q.get(j);
                a.apply(qj, w);
                double aj = Vec.dot(qj, w);
                alpha[j] = aj;
                Vec.axpy(w, -aj, qj);
                if (j > block) {
                    Vec.axpy(w, -beta[j - 1], q.get(j - 1));
                }
                Vec.reorthogonalize(w, q);
                double bj = Vec.norm(w);
                scale = Math.max(scale, Math.abs(aj) + bj + (j > block ? beta[j - 1] : 0));
                progress.step(1);
                boolean exhausted = j + 1 == n;
                boolean breakdown = bj <= 1e-13 * Math.max(scale, Double.MIN_NORMAL);
                beta[j] = breakdown ? 0 : bj;
                if (j + 1 >= k && (check(j) || exhausted || j + 1 == m || breakdown)) {
                    last = ritz(alpha, beta, j + 1, k, beta[j], tol);
                    if (exhausted) {
                        return new Result(last.values, last.residuals, j + 1, true);
                    }
                    if (breakdown) {
                        // an invariant subspace: its Ritz values are exact, but it holds one copy of each
                        // eigenvalue. Accept once a fresh random block (orthogonal to all before) adds nothing
                        // above the current k-th value; otherwise look further.
                        if (block > 0 && blockMax(alpha, beta, block, j + 1) <= last.values[k - 1] + 1e-12 * scale) {
                            return new Result(last.values, last.residuals, j + 1, true);
                        }
                    } else if (last.converged()) {
                        return new Result(last.values, last.residuals, j + 1, true);
                    }
                }
                if (j + 1 == m) {
                    break;
                }
                double[] next;
                if (breakdown) {
                    next = restart(n, q, rng);
                    if (next == null) {
                        last = ritz(alpha, beta, j + 1, k, 0, tol);
                        return new Result(last.values, last.residuals, j + 1, true);
                    }
                    block = j + 1;
                } else {
                    next = w.clone();
                    Vec.scale(next, 1 / bj);
                }
                q.add(next);
            }
        } finally {
            progress.done();
        }
        return new Result(last.values, last.residuals, m, last.converged());
    }

    /** The largest eigenvalue of the diagonal block T[from..to). */
    private static double blockMax(double[] alpha, double[] beta, int from, int to) {
        int size = to - from;
        return SymEig.tridiagonal(Arrays.copyOfRange(alpha, from, to), Arrays.copyOfRange(beta, from, to), size, false).values()[0];
    }

    private static boolean check(int j) {
        return j < 64 || j % 8 == 0;
    }

    private static double[] restart(int n, List<double[]> q, Rng rng) {
        for (int attempt = 0; attempt < 3; attempt++) {
            double[] v = Vec.gaussian(n, rng);
            Vec.orthogonalize(v, q, 2);
            double nv = Vec.norm(v);
            if (nv > 1e-8 * Math.sqrt(n)) {
                Vec.scale(v, 1 / nv);
                return v;
            }
        }
        return null;
    }

    /** The top-k Ritz values of T (size×size) and whether each residual is within tol·‖T‖. */
    private static Result ritz(double[] alpha, double[] beta, int size, int k, double lastBeta, double tol) {
        SymEig.Result e = SymEig.tridiagonal(Arrays.copyOf(alpha, size), Arrays.copyOf(beta, size), size, true);
        double[] vals = Arrays.copyOf(e.values(), k);
        double[] res = new double[k];
        double norm = Math.max(Math.abs(e.values()[0]), Math.abs(e.values()[size - 1]));
        boolean ok = true;
        for (int i = 0; i < k; i++) {
            res[i] = Math.abs(lastBeta * e.vectors()[i][size - 1]);
            ok &= res[i] <= tol * Math.max(norm, Double.MIN_NORMAL);
        }
        return new Result(vals, res, size, ok);
    }
}
