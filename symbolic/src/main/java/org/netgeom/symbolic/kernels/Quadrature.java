package org.netgeom.symbolic.kernels;

import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * Kernels of activations without a closed form (tanh, sigmoid, softplus, gelu): float64
 * recursion with the N-point Gauss–Hermite rule ({@link GaussHermite}); the error of each entry is
 * estimated as max |K_N − K_⌈N/2⌉| + 16·(L+1)·ε·max|K| (the coarser rule's error, so an
 * overestimate of the finer rule's once the rules converge), the eigenvalues' as n times that
 * (Weyl, with ‖E‖₂ ≤ n·max|E_ij|). Decimals are cut to the digits that estimate leaves.
 */
final class Quadrature {
    private Quadrature() {
    }

    static KernelResult compute(KernelKind kind, Rational[][] x, Architecture arch, KernelOptions o) {
        double[][] xd = DoubleKernels.doubles(x);
        int nodes = o.nodes();
        double[][] k1 = DoubleKernels.kernel(kind, xd, arch, nodes, o.progress());
        double[][] k2 = DoubleKernels.kernel(kind, xd, arch, Math.max(2, (nodes + 1) / 2), Progress.NONE);
        int n = x.length;
        double diff = 0;
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                diff = Math.max(diff, Math.abs(k1[i][j] - k2[i][j]));
                max = Math.max(max, Math.abs(k1[i][j]));
            }
        }
        double err = diff + 16.0 * (arch.depth() + 1) * Math.ulp(1.0) * max;
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
        String method = "Gauss-Hermite quadrature, " + nodes + " nodes per dimension (error estimated against "
                + Math.max(2, (nodes + 1) / 2) + " nodes)";
        return new KernelResult(kind, arch, m, eig, eig[0], digits, 0, null, 17, method, new BigDecimal(err, new MathContext(3)),
                List.of(), null, null);
    }

    /** v rounded to the digits an absolute error {@code err} leaves (at most {@code digits}, at most 16). */
    static BigDecimal cut(double v, double err, int digits) {
        if (v == 0) {
            return BigDecimal.ZERO;
        }
        int k = (int) Math.floor(Math.log10(Math.abs(v)) - Math.log10(2 * err)) + 1;
        k = Math.max(1, Math.min(Math.min(digits, 16), k));
        return new BigDecimal(v).round(new MathContext(k, RoundingMode.HALF_EVEN));
    }
}
