package org.netgeom.symbolic.kernels;

import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The kernels in float64, fast: the same recursion and closed forms as {@link Recursion} (see
 * there), computed per pair of inputs with all layers in registers, over the upper triangle only,
 * on all cores. Activations without a closed form use {@link GaussHermite} quadrature.
 *
 * <p>Accuracy: the closed forms agree with an independent float64 implementation to about 1e-15
 * relative; where the cosine of a pair is within √ε of ±1 (nearly parallel inputs) θ = arccos c is
 * ill conditioned and the NTK loses about half its digits, as in any float64 code (the precise
 * path, {@link Kernels}, tracks exactly parallel pairs exactly).
 */
public final class DoubleKernels {
    /** Default number of Gauss–Hermite nodes per dimension. */
    public static final int DEFAULT_NODES = 128;

    private DoubleKernels() {
    }

    /** The kernel matrix on the rows of {@code x}. */
    public static double[][] kernel(KernelKind kind, double[][] x, Architecture arch) {
        return kernel(kind, x, arch, DEFAULT_NODES, Progress.NONE);
    }

    /** The kernel matrix on the rows of {@code x}; {@code nodes} Gauss–Hermite nodes where needed. */
    public static double[][] kernel(KernelKind kind, double[][] x, Architecture arch, int nodes, Progress progress) {
        if (kind == KernelKind.H_INFINITY) {
            return hInfinity(x);
        }
        int n = x.length;
        int d = n == 0 ? 1 : x[0].length;
        int depth = arch.depth();
        double w2 = arch.sigmaW2().doubleValue();
        double b2 = arch.sigmaB2().doubleValue();
        double[][] g = gram(x, w2 / d, b2);
        Step step = stepper(arch.activation(), nodes);
        double[][] q = new double[depth + 1][n];       // Σ^l(x_i, x_i)
        double[][] t = new double[depth + 1][n];       // Θ^l(x_i, x_i)
        double[] hd = new double[2];
        for (int i = 0; i < n; i++) {
            q[0][i] = g[i][i];
            t[0][i] = g[i][i];
            for (int l = 0; l < depth; l++) {
                step.apply(q[l][i], q[l][i], q[l][i], hd);
                q[l + 1][i] = w2 * hd[0] + b2;
                t[l + 1][i] = q[l + 1][i] + w2 * hd[1] * t[l][i];
            }
        }
        boolean ntk = kind == KernelKind.NTK;
        double[][] out = new double[n][n];
        AtomicLong done = new AtomicLong();
        progress.start("kernel " + kind.cli, n);
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] h = new double[2];
            double[] row = out[i];
            row[i] = ntk ? t[depth][i] : q[depth][i];
            for (int j = i + 1; j < n; j++) {
                double s = g[i][j];
                double th = s;
                for (int l = 0; l < depth; l++) {
                    step.apply(q[l][i], q[l][j], s, h);
                    double s2 = w2 * h[0] + b2;
                    th = s2 + w2 * h[1] * th;
                    s = s2;
                }
                row[j] = ntk ? th : s;
            }
            progress.set(done.incrementAndGet());
        });
        progress.done();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                out[i][j] = out[j][i];
            }
        }
        return out;
    }

    /** Du et al.'s H∞ in float64. */
    public static double[][] hInfinity(double[][] x) {
        int n = x.length;
        double[][] h = new double[n][n];
        double[] norm2 = new double[n];
        for (int i = 0; i < n; i++) {
            norm2[i] = dot(x[i], x[i]);
        }
        IntStream.range(0, n).parallel().forEach(i -> {
            for (int j = i; j < n; j++) {
                double s = dot(x[i], x[j]);
                double p = Math.sqrt(norm2[i] * norm2[j]);
                double c = p > 0 ? Math.max(-1, Math.min(1, s / p)) : 0;
                h[i][j] = s * (Math.PI - Math.acos(c)) / (2 * Math.PI);
                h[j][i] = h[i][j];
            }
        });
        return h;
    }

    /** The rows of exact inputs as their nearest doubles. */
    public static double[][] doubles(Rational[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new double[x[i].length];
            for (int k = 0; k < x[i].length; k++) {
                out[i][k] = x[i][k].doubleValue();
            }
        }
        return out;
    }

    /** One layer: (q1, q2, s) to {Σ̂, Σ̇}. */
    interface Step {
        void apply(double q1, double q2, double s, double[] out);
    }

    static Step stepper(Activation act, int nodes) {
        if (act instanceof Activation.AbRelu a) {
            double sumSq = a.sumSquares().doubleValue();
            double twoAb = a.twiceProduct().doubleValue();
            double diff = a.pos().subtract(a.neg()).doubleValue();
            double diff2 = diff * diff;
            return (q1, q2, s, out) -> {
                double p = q1 * q2;
                if (p <= 0) {
                    out[0] = 0;
                    out[1] = 0;
                    return;
                }
                double r = Math.sqrt(p);
                double c = Math.max(-1, Math.min(1, s / r));
                double theta = Math.acos(c);
                double sq = Math.sqrt(Math.max(0, p - s * s));
                double w = (sumSq * (Math.PI - theta) + twoAb * theta) / (2 * Math.PI);
                out[0] = diff2 * sq / (2 * Math.PI) + w * s;
                out[1] = w;
            };
        }
        if (act instanceof Activation.Identity) {
            return (q1, q2, s, out) -> {
                out[0] = s;
                out[1] = 1;
            };
        }
        if (act instanceof Activation.Square) {
            return (q1, q2, s, out) -> {
                out[0] = q1 * q2 + 2 * s * s;
                out[1] = 4 * s;
            };
        }
        if (act instanceof Activation.ErfAct) {
            return (q1, q2, s, out) -> {
                double h = (1 + 2 * q1) * (1 + 2 * q2);
                out[0] = 2 / Math.PI * Math.asin(Math.max(-1, Math.min(1, 2 * s / Math.sqrt(h))));
                out[1] = 4 / (Math.PI * Math.sqrt(Math.max(h - 4 * s * s, Double.MIN_NORMAL)));
            };
        }
        GaussHermite rule = new GaussHermite(nodes);
        return (q1, q2, s, out) -> rule.expect(act, q1, q2, s, out);
    }

    static double[][] gram(double[][] x, double scale, double shift) {
        int n = x.length;
        double[][] g = new double[n][n];
        IntStream.range(0, n).parallel().forEach(i -> {
            for (int j = i; j < n; j++) {
                g[i][j] = scale * dot(x[i], x[j]) + shift;
                g[j][i] = g[i][j];
            }
        });
        return g;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
