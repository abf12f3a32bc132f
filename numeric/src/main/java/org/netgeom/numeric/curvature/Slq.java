package org.netgeom.numeric.curvature;

import org.netgeom.ir.Progress;
import org.netgeom.numeric.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The spectral density of a symmetric operator by stochastic Lanczos quadrature, as PyHessian
 * computes it (Yao, Gholami, Keutzer and Mahoney, "PyHessian: Neural networks through the lens
 * of the Hessian", 2020; Ghorbani, Krishnan and Xiao 2019; Lin, Saad and Yang 2016):
 * for each of {@code runs} normalised Rademacher vectors, {@code iter} Lanczos steps with full
 * reorthogonalisation give T; its eigenvalues θᵢ are the nodes and the squared first components
 * of its eigenvectors the weights wᵢ. The density on a grid of {@code bins} points over
 * [mean min θ − overhead, mean max θ + overhead] is the mean over runs of
 * Σᵢ wᵢ·N(x; θᵢ, σ²) with σ² = {@code sigma2}·max(1, λmax − λmin), normalised to integrate to 1
 * on the grid (PyHessian's {@code density_generate}, defaults iter 100, runs 1, bins 10000,
 * σ² 1e−5, overhead 0.01). The Lanczos steps follow PyHessian's {@code density()} line by line
 * (β is the norm of w before reorthogonalisation); the dimension caps {@code iter}.
 */
public final class Slq {
    /** Nodes and weights per run, and the density on the grid. */
    public record Result(double[][] nodes, double[][] weights, double[] grid, double[] density) {
    }

    private Slq() {
    }

    public static Result density(LinearOperator a, int iter, int runs, int bins, double sigma2, double overhead, long seed,
                                 Progress progress) {
        int n = a.dim();
        int m = Math.min(iter, n);
        Rng rng = Rng.stream(seed, 4);
        double[][] nodes = new double[runs][];
        double[][] weights = new double[runs][];
        progress.start("density", (long) runs * m);
        try {
            for (int r = 0; r < runs; r++) {
                double[] v = Vec.rademacher(n, rng);
                Vec.scale(v, 1 / Vec.norm(v));
                List<double[]> vs = new ArrayList<>();
                vs.add(v);
                double[] alpha = new double[m];
                double[] beta = new double[m];
                double[] w = null;
                double[] hv = new double[n];
                for (int i = 0; i < m; i++) {
                    if (i == 0) {
                        a.apply(v, hv);
                        alpha[0] = Vec.dot(hv, v);
                        w = hv.clone();
                        Vec.axpy(w, -alpha[0], v);
                    } else {
                        double b = Vec.norm(w);
                        beta[i - 1] = b;
                        double[] next = b != 0 ? w.clone() : Vec.gaussian(n, rng);
                        Vec.orthogonalize(next, vs, 1);
                        Vec.scale(next, 1 / Vec.norm(next));
                        vs.add(next);
                        a.apply(next, hv);
                        alpha[i] = Vec.dot(hv, next);
                        w = hv.clone();
                        Vec.axpy(w, -alpha[i], next);
                        Vec.axpy(w, -b, vs.get(vs.size() - 2));
                    }
                    progress.step(1);
                }
                SymEig.Result e = SymEig.tridiagonal(alpha, beta, m, true);
                nodes[r] = e.values();
                weights[r] = new double[m];
                for (int j = 0; j < m; j++) {
                    weights[r][j] = e.vectors()[j][0] * e.vectors()[j][0];
                }
            }
        } finally {
            progress.done();
        }
        double[][] dg = grid(nodes, weights, bins, sigma2, overhead);
        return new Result(nodes, weights, dg[0], dg[1]);
    }

    /** PyHessian's {@code density_generate}: returns {grid, density}. */
    public static double[][] grid(double[][] nodes, double[][] weights, int bins, double sigma2, double overhead) {
        int runs = nodes.length;
        double max = 0;
        double min = 0;
        for (double[] e : nodes) {
            max += Arrays.stream(e).max().orElse(0);
            min += Arrays.stream(e).min().orElse(0);
        }
        double lmax = max / runs + overhead;
        double lmin = min / runs - overhead;
        double[] grid = new double[bins];
        for (int j = 0; j < bins; j++) {
            grid[j] = bins == 1 ? lmin : lmin + (lmax - lmin) * j / (bins - 1);
        }
        double sigma = sigma2 * Math.max(1, lmax - lmin);
        double[] dens = new double[bins];
        for (int r = 0; r < runs; r++) {
            for (int j = 0; j < bins; j++) {
                double s = 0;
                for (int i = 0; i < nodes[r].length; i++) {
                    double d = grid[j] - nodes[r][i];
                    s += Math.exp(-d * d / (2 * sigma)) / Math.sqrt(2 * Math.PI * sigma) * weights[r][i];
                }
                dens[j] += s / runs;
            }
        }
        double norm = 0;
        for (double v : dens) {
            norm += v;
        }
        norm *= bins > 1 ? grid[1] - grid[0] : 1;
        if (norm > 0) {
            for (int j = 0; j < bins; j++) {
                dens[j] /= norm;
            }
        }
        return new double[][]{grid, dens};
    }
}
