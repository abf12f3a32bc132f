package org.netgeom.symbolic.kernels;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Rational;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gauss–Hermite quadrature: exact on polynomials of degree 2N − 1; on erf (forced through
 * quadrature) within 1e-9 of Williams' closed form for variances up to 2 at the default 128
 * nodes; and for every quadrature activation, where the rules report convergence, the error
 * estimate bounds the actual error (against Williams' closed form for erf, against a 400-node rule
 * otherwise) and the printed decimals are within one unit in their last digit; at variances where
 * 64 nodes are too few (q ≈ 40) tanh reports that it has not converged.
 */
class QuadratureTest {
    @Test
    void exactOnGaussianMoments() {
        GaussHermite g = new GaussHermite(16);
        double[] want = {1, 1, 3, 15, 105, 945, 10395, 135135, 2027025, 34459425, 654729075};
        for (int k = 0; k <= 10; k++) {
            double m = 0;
            for (int i = 0; i < g.z.length; i++) {
                m += g.w[i] * Math.pow(g.z[i], 2 * k);
            }
            assertEquals(want[k], m, 1e-12 * want[k], "E z^" + (2 * k));
        }
    }

    @Test
    void erfByQuadratureMatchesTheClosedForm() {
        Activation quad = new Activation.Quadrature(Layer.Smooth.Fn.ERF);
        DoubleKernels.Step exact = DoubleKernels.stepper(new Activation.ErfAct(), 1);
        GaussHermite g = new GaussHermite(DoubleKernels.DEFAULT_NODES);
        double[] a = new double[2];
        double[] b = new double[2];
        for (double q : new double[]{0.25, 0.5, 1, 1.5, 2}) {
            for (double c : new double[]{-0.9, -0.3, 0, 0.5, 0.95, 1}) {
                double q2 = 0.8 * q;
                double s = c * Math.sqrt(q * q2);
                g.expect(quad, q, q2, s, a);
                exact.apply(q, q2, s, b);
                assertEquals(b[0], a[0], 1e-9, "Σ̂ q " + q + " c " + c);
                assertEquals(b[1], a[1], 1e-9, "Σ̇ q " + q + " c " + c);
            }
        }
    }

    @Test
    void theErrorEstimateBoundsTheError() {
        for (double scale : new double[]{1, 3}) {              // q ≈ 1 and q ≈ 9: the rule is good, then poor
            Rational[][] x = RecursionTest.points(9, 5, 2);
            for (Rational[] row : x) {
                for (int k = 0; k < row.length; k++) {
                    row[k] = row[k].multiply(Rational.fromDouble(scale));
                }
            }
            for (Layer.Smooth.Fn fn : Layer.Smooth.Fn.values()) {
                Architecture arch = new Architecture(new Activation.Quadrature(fn), 2, Rational.TWO, Rational.of(1, 10));
                Quadrature.Raw r = Quadrature.raw(KernelKind.NTK, x, arch, 64, org.netgeom.ir.Progress.NONE);
                double[][] ref = fn == Layer.Smooth.Fn.ERF
                        ? DoubleKernels.kernel(KernelKind.NTK, DoubleKernels.doubles(x),
                                new Architecture(new Activation.ErfAct(), 2, Rational.TWO, Rational.of(1, 10)))
                        : DoubleKernels.kernel(KernelKind.NTK, DoubleKernels.doubles(x), arch, 400, org.netgeom.ir.Progress.NONE);
                double est = r.error();
                if (!r.converged()) {
                    assertTrue(scale > 1, fn + " did not converge at moderate variance");
                    continue;
                }
                for (int i = 0; i < x.length; i++) {
                    for (int j = 0; j < x.length; j++) {
                        double err = Math.abs(r.matrix()[i][j] - ref[i][j]);
                        assertTrue(err <= est, fn + " scale " + scale + " [" + i + "][" + j + "]: error " + err
                                + " above the estimate " + est);
                        java.math.BigDecimal printed = Quadrature.cut(r.matrix()[i][j], est, 30);
                        double unit = 2 * Kernels.ulp(printed, Math.max(1, printed.stripTrailingZeros().precision())).doubleValue();
                        assertTrue(Math.abs(printed.doubleValue() - ref[i][j]) <= Math.max(unit, 2 * est),
                                fn + " printed " + printed + " vs " + ref[i][j]);
                    }
                }
            }
            if (scale > 1) {
                Architecture tanh = new Architecture(new Activation.Quadrature(Layer.Smooth.Fn.TANH), 2, Rational.TWO, Rational.of(1, 10));
                assertTrue(!Quadrature.raw(KernelKind.NTK, x, tanh, 64, org.netgeom.ir.Progress.NONE).converged());
            }
        }
    }

    @Test
    void sharpIntegrandsAreRefinedUntilTheRulesConverge() {
        // x = (10, 0): q = σ_w² |x|² / n0 = 100, and gelu(10 z) is sharp at 64 nodes. The NNGP entry is
        // 2 E[gelu(10 z)^2] = 99.9629654600456443554683265426 (mpmath.quad at 30 digits, an independent reference).
        Rational[][] x = {{Rational.of(10), Rational.ZERO}, {Rational.of(6), Rational.of(8)}};
        Architecture arch = new Architecture(new Activation.Quadrature(Layer.Smooth.Fn.GELU), 1, Rational.TWO, Rational.ZERO);
        assertTrue(!Quadrature.raw(KernelKind.NNGP, x, arch, 64, org.netgeom.ir.Progress.NONE).converged(), "64 nodes are too few here");
        KernelResult r = Quadrature.compute(KernelKind.NNGP, x, arch, new KernelOptions(30, false, 64, org.netgeom.ir.Progress.NONE));
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        assertTrue(r.method().contains("refined from 64"), r.method());
        double ref = 99.9629654600456443554683265426;
        double printed = r.matrix()[0][0].doubleValue();
        double unit = Kernels.ulp(r.matrix()[0][0], Math.max(1, r.matrix()[0][0].stripTrailingZeros().precision())).doubleValue();
        assertTrue(Math.abs(printed - ref) <= Math.max(unit, r.estimatedError().doubleValue()),
                "printed " + r.matrix()[0][0] + " with error " + r.estimatedError() + " vs " + ref);
    }
}
