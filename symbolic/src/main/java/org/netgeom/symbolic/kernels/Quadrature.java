package org.netgeom.symbolic.kernels;

import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * Kernels of activations without a closed form (tanh, sigmoid, softplus, gelu): float64
 * recursion with the N-point Gauss–Hermite rule ({@link GaussHermite}). The error is estimated
 * from three rules, N, ⌈3N/4⌉ and ⌈N/2⌉ nodes: with d₁ = max|K_N − K_{3N/4}| and
 * d₂ = max|K_{3N/4} − K_{N/2}|, the rules are taken to converge when d₁ ≤ d₂/3 (then the N-node
 * error is at most d₁/2 if the errors fall at least geometrically, and 2d₁ is reported, a margin
 * of 4 for the pre-asymptotic range); otherwise the estimate is
 * 10·max(d₁, d₂) with a warning to raise {@code --nodes} (large variances q make the integrands
 * sharp: tanh(√q z) has poles at z = ±iπ/(2√q), and the rule needs N of the order of 40q nodes for
 * 12 digits). 16·(L+1)·ε·max|K| is added for float64 rounding. The eigenvalues' error is n times
 * the entries' (Weyl, with ‖E‖₂ ≤ n·max|E_ij|). Decimals are cut to the digits the estimate leaves;
 * a value below its estimated error is printed as 0. Rules that have not converged are refined
 * (the nodes doubled, up to {@link #MAX_NODES}) before anything is reported.
 */
final class Quadrature {
    private Quadrature() {
    }

    /** The N-node kernel, its estimated absolute error per entry, and whether the rules converged. */
    record Raw(double[][] matrix, double error, boolean converged) {
    }

    static Raw raw(KernelKind kind, Rational[][] x, Architecture arch, int nodes, Progress progress) {
        double[][] xd = DoubleKernels.doubles(x);
        double[][] k1 = DoubleKernels.kernel(kind, xd, arch, nodes, progress);
        double[][] k2 = DoubleKernels.kernel(kind, xd, arch, coarse(nodes), Progress.NONE);
        double[][] k3 = DoubleKernels.kernel(kind, xd, arch, Math.max(2, (nodes + 1) / 2), Progress.NONE);
        int n = x.length;
        double d1 = 0;
        double d2 = 0;
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d1 = Math.max(d1, Math.abs(k1[i][j] - k2[i][j]));
                d2 = Math.max(d2, Math.abs(k2[i][j] - k3[i][j]));
                max = Math.max(max, Math.abs(k1[i][j]));
            }
        }
        double rounding = 16.0 * (arch.depth() + 1) * Math.ulp(1.0) * max;
        boolean converged = d1 <= d2 / 3 || d1 <= rounding;
        return new Raw(k1, (converged ? 2 * d1 : 10 * Math.max(d1, d2)) + rounding, converged);
    }

    /** The most nodes per dimension the rules are refined to. */
    static final int MAX_NODES = 400;

    static KernelResult compute(KernelKind kind, Rational[][] x, Architecture arch, KernelOptions o) {
        int nodes = o.nodes();
        Raw raw = raw(kind, x, arch, nodes, o.progress());
        while (!raw.converged() && nodes < MAX_NODES) {
            // sharp integrands (large variances): refine until the three rules converge, or up to MAX_NODES
            nodes = Math.min(MAX_NODES, 2 * nodes);
            raw = raw(kind, x, arch, nodes, o.progress());
        }
        double[][] k1 = raw.matrix();
        double err = raw.error();
        int n = x.length;
        double[] ev = Kernels.doubleEigenvalues(k1);
        double eigErr = n * err;
        int digits = o.digits();
        BigDecimal[][] m = new BigDecimal[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = cut(k1[i][j], err, digits);
            }
        }
        BigDecimal[] eig = new BigDecimal[n];
        for (int i = 0; i < n; i++) {
            eig[i] = cut(ev[i], eigErr, digits);
        }
        String method = "Gauss-Hermite quadrature, " + nodes + " nodes per dimension" + (nodes > o.nodes() ? " (refined from "
                + o.nodes() + " until the rules converged)" : "") + " (error estimated against "
                + coarse(nodes) + " and " + Math.max(2, (nodes + 1) / 2) + " nodes)";
        List<String> warnings = raw.converged() ? List.of() : List.of("the Gauss-Hermite rules have not converged at "
                + nodes + " nodes (large variances); the error estimate is rough: raise --nodes");
        return new KernelResult(kind, arch, m, eig, eig[0], digits, 0, null, 17, method, new BigDecimal(err, new MathContext(3)),
                warnings, null, null);
    }

    /** The coarser rule the error is estimated against. */
    static int coarse(int nodes) {
        return Math.max(2, (3 * nodes + 3) / 4);
    }

    /**
     * v rounded to the most significant digits k (at most {@code digits}, at most 16) whose half
     * unit still covers an absolute error {@code err}: the printed value is then within one unit
     * in its last digit of the true one, if the estimate holds.
     */
    static BigDecimal cut(double v, double err, int digits) {
        if (Math.abs(v) <= err) {
            return BigDecimal.ZERO;                   // 0 to within the estimated error
        }
        BigDecimal x = new BigDecimal(v);
        int k = Math.min(digits, 16);
        while (k > 1 && Kernels.ulp(x.round(new MathContext(k)), k).doubleValue() < err) {
            k--;
        }
        return x.round(new MathContext(k, RoundingMode.HALF_EVEN));
    }
}
