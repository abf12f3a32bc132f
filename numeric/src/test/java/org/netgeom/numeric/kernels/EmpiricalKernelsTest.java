package org.netgeom.numeric.kernels;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.numeric.Forward64;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Empirical kernels of random nets: the forward pass against the reference float64 engine
 * (Forward64 on the same net as an IR model), the back-propagated NTK against J Jᵀ with J by
 * central finite differences over every parameter, and the convergence to the analytic kernels
 * (the arc-cosine recursion written out in this test) with slope between −0.7 and −0.3 on a
 * log-log fit over widths 64 to 2048 (seeded).
 */
class EmpiricalKernelsTest {
    static final Layer RELU = Layer.AbRelu.relu(null);

    static double[][] points(long seed, int n, int d) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x[i][k] = r.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void forwardMatchesTheReferenceEngine() {
        double[][] x = points(1, 4, 3);
        for (Layer phi : new Layer[]{RELU, Layer.AbRelu.leakyRelu(null, Rational.of(1, 10)), new Layer.Smooth(null, Layer.Smooth.Fn.TANH)}) {
            RandomFcNet net = RandomFcNet.sample(3, 7, 2, phi, 2, 0.3, 42);
            double[] f = net.outputs(x);
            for (int p = 0; p < x.length; p++) {
                assertEquals(Forward64.eval(net.toModel(), x[p])[0], f[p], 1e-12);
            }
        }
    }

    @Test
    void ntkIsJacobianTimesItsTranspose() {
        double[][] x = points(2, 3, 2);
        for (Layer phi : new Layer[]{new Layer.Smooth(null, Layer.Smooth.Fn.TANH), RELU}) {
            RandomFcNet net = RandomFcNet.sample(2, 4, 2, phi, 2, 0.5, 7);
            int p = (int) net.parameterCount();
            double[][] jac = new double[x.length][p];
            double h = 1e-6;
            int col = 0;
            for (int l = 0; l < net.weights().length; l++) {
                double[][] w = net.weights()[l];
                for (int i = 0; i < w.length; i++) {
                    for (int j = 0; j < w[i].length; j++) {
                        jac = column(jac, col++, net, x, w[i], j, h);
                    }
                }
                for (int i = 0; i < net.biases()[l].length; i++) {
                    jac = column(jac, col++, net, x, net.biases()[l], i, h);
                }
            }
            assertEquals(p, col);
            double[][] k = EmpiricalKernels.ntk(net, x);
            for (int a = 0; a < x.length; a++) {
                for (int b = 0; b < x.length; b++) {
                    double jj = 0;
                    for (int c = 0; c < p; c++) {
                        jj += jac[a][c] * jac[b][c];
                    }
                    assertEquals(jj, k[a][b], 1e-6 * Math.max(1, Math.abs(jj)), phi + " Θ[" + a + "][" + b + "]");
                }
            }
        }
    }

    private static double[][] column(double[][] jac, int col, RandomFcNet net, double[][] x, double[] arr, int idx, double h) {
        double keep = arr[idx];
        arr[idx] = keep + h;
        double[] up = net.outputs(x);
        arr[idx] = keep - h;
        double[] down = net.outputs(x);
        arr[idx] = keep;
        for (int p = 0; p < x.length; p++) {
            jac[p][col] = (up[p] - down[p]) / (2 * h);
        }
        return jac;
    }

    /** The analytic ReLU NNGP/NTK (Cho & Saul's arc-cosine recursion), σ_w² = 2, σ_b² = 0. */
    static double[][][] analyticRelu(double[][] x, int depth) {
        int n = x.length;
        int d = x[0].length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i][j] = 2 * EmpiricalKernels.dot(x[i], x[j]) / d;
            }
        }
        double[][] t = new double[n][];
        for (int i = 0; i < n; i++) {
            t[i] = s[i].clone();
        }
        for (int l = 0; l < depth; l++) {
            double[][] next = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double r = Math.sqrt(s[i][i] * s[j][j]);
                    double th = Math.acos(Math.max(-1, Math.min(1, s[i][j] / r)));
                    next[i][j] = 2 * r / (2 * Math.PI) * (Math.sin(th) + (Math.PI - th) * Math.cos(th));
                    t[i][j] = next[i][j] + 2 * (Math.PI - th) / (2 * Math.PI) * t[i][j];
                }
            }
            s = next;
        }
        return new double[][][]{s, t};
    }

    @Test
    void empiricalKernelsConvergeLikeOneOverSqrtWidth() {
        double[][] x = points(3, 6, 3);
        int[] widths = {64, 128, 256, 512, 1024, 2048};
        double[][][] k = analyticRelu(x, 2);
        WidthSweep.Result ntk = WidthSweep.run(WidthSweep.Kind.NTK, x, k[1], widths, 8, 11, RELU, 2, 2, 0, Progress.NONE);
        assertTrue(ntk.slope() >= -0.7 && ntk.slope() <= -0.3, "NTK slope " + ntk.slope() + " " + ntk.points());
        assertTrue(ntk.points().get(5).meanError() < ntk.points().get(0).meanError() / 3, ntk.points().toString());
        WidthSweep.Result nngp = WidthSweep.run(WidthSweep.Kind.NNGP, x, k[0], widths, 8, 11, RELU, 2, 2, 0, Progress.NONE);
        assertTrue(nngp.slope() >= -0.7 && nngp.slope() <= -0.3, "NNGP slope " + nngp.slope() + " " + nngp.points());
        double[][] h = new double[x.length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                double c = EmpiricalKernels.dot(x[i], x[j]) / Math.sqrt(EmpiricalKernels.dot(x[i], x[i]) * EmpiricalKernels.dot(x[j], x[j]));
                h[i][j] = EmpiricalKernels.dot(x[i], x[j]) * (Math.PI - Math.acos(Math.max(-1, Math.min(1, c)))) / (2 * Math.PI);
            }
        }
        WidthSweep.Result du = WidthSweep.run(WidthSweep.Kind.DU_GRAM, x, h, widths, 8, 11, RELU, 0, 1, 0, Progress.NONE);
        assertTrue(du.slope() >= -0.7 && du.slope() <= -0.3, "H(0) slope " + du.slope() + " " + du.points());
    }
}
