package org.netgeom.numeric;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Models and data for the tests, built from seeded random doubles or small rationals. */
public final class TestNets {
    private TestNets() {
    }

    /** A tensor of seeded uniform doubles in [−scale, scale). */
    public static Tensor rand(Rng r, double scale, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2 * r.uniform() - 1) * scale;
        }
        return Tensor.ofDoubles(s, v);
    }

    /** A tensor of seeded small rationals p/q with |p| ≤ 6, q ∈ {2, 3, 5, 7}. */
    public static Tensor rational(Rng r, int... dims) {
        Shape s = Shape.of(dims);
        Scalar[] v = new Scalar[s.size()];
        int[] qs = {2, 3, 5, 7};
        for (int i = 0; i < v.length; i++) {
            v[i] = Rational.of(r.below(13) - 6, qs[r.below(4)]);
        }
        return Tensor.of(s, v);
    }

    public static Layer.Dense dense(Rng r, int in, int out) {
        return new Layer.Dense(null, rand(r, 1 / Math.sqrt(in), out, in), rand(r, 0.5, out));
    }

    /** An MLP with the given widths and one activation between dense layers. */
    public static Model mlp(long seed, Layer act, int... widths) {
        Rng r = new Rng(seed);
        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            ls.add(dense(r, widths[i], widths[i + 1]));
            if (i + 2 < widths.length) {
                ls.add(act);
            }
        }
        return new Model("mlp", Shape.of(widths[0]), ls);
    }

    public static Layer relu() {
        return Layer.AbRelu.relu(null);
    }

    public static Layer smooth(Layer.Smooth.Fn f) {
        return new Layer.Smooth(null, f);
    }

    /** Every vector op once: dense, the relu family, square, smooth ones, residual (with and without shortcut), concat, batchnorm. */
    public static Model allVectorOps(long seed) {
        return allVectorOps(seed, true);
    }

    /**
     * The same without the bias of the dense layer before the first batchnorm: in training mode
     * that bias has an exactly zero gradient, which Adam turns into engine-dependent noise steps.
     */
    public static Model allVectorOps(long seed, boolean biasBeforeBatchnorm) {
        Rng r = new Rng(seed);
        List<Layer> ls = new ArrayList<>();
        Layer.Dense first = dense(r, 3, 5);
        ls.add(biasBeforeBatchnorm ? first : new Layer.Dense(null, first.weight(), null));
        ls.add(new Layer.BatchNorm(null, rand(r, 0.3, 5), Tensor.ofDoubles(Shape.of(5), new double[]{0.5, 1, 1.5, 2, 0.75}),
                rand(r, 1, 5), rand(r, 0.2, 5), Rational.of(1, 100_000)));
        ls.add(Layer.AbRelu.leakyRelu(null, Rational.of(1, 10)));
        ls.add(new Layer.Residual(null, List.of(dense(r, 5, 5), smooth(Layer.Smooth.Fn.TANH), dense(r, 5, 5)), null));
        ls.add(smooth(Layer.Smooth.Fn.GELU));
        ls.add(new Layer.Concat(null, List.of(dense(r, 5, 2), smooth(Layer.Smooth.Fn.SIGMOID))));
        ls.add(dense(r, 7, 4));
        ls.add(Layer.AbRelu.abs(null));
        ls.add(new Layer.Residual(null, List.of(dense(r, 4, 4), smooth(Layer.Smooth.Fn.SOFTPLUS)), List.of(dense(r, 4, 4))));
        ls.add(smooth(Layer.Smooth.Fn.ERF));
        ls.add(dense(r, 4, 4));
        ls.add(Layer.AbRelu.abrelu(null, Rational.of(-1, 3), Rational.of(2)));
        ls.add(new Layer.Square(null));
        ls.add(new Layer.BatchNorm(null, rand(r, 0.3, 4), Tensor.ofDoubles(Shape.of(4), new double[]{1, 2, 3, 4}), null, null,
                Rational.of(1, 1000)));
        ls.add(new Layer.Identity(null));
        ls.add(dense(r, 4, 3));
        return new Model("all-ops", Shape.of(3), ls);
    }

    /** dense 3→12, maxout k = 3, dense 4→8, maxout k = 2, dense 4→2. */
    public static Model maxoutMlp(long seed) {
        Rng r = new Rng(seed);
        return new Model("maxout", Shape.of(3), List.of(dense(r, 3, 12), new Layer.Maxout(null, 3), dense(r, 4, 8),
                new Layer.Maxout(null, 2), dense(r, 4, 2)));
    }

    /** The ops added with issue 15: dense, hardtanh, dense, hardtanh (torch's defaults), dense, maxout k = 3, dense. */
    public static Model newOps(long seed) {
        Rng r = new Rng(seed);
        List<Layer> ls = new ArrayList<>();
        ls.add(dense(r, 3, 6));
        ls.add(new Layer.HardTanh(null, Rational.of(-1, 8), Rational.of(1, 4)));
        ls.add(dense(r, 6, 4));
        ls.add(new Layer.HardTanh(null, Rational.MINUS_ONE, Rational.ONE));
        ls.add(dense(r, 4, 6));
        ls.add(new Layer.Maxout(null, 3));
        ls.add(dense(r, 2, 2));
        return new Model("new-ops", Shape.of(3), ls);
    }

    /** A small CNN: conv, batchnorm, relu, residual conv block, maxpool, conv with stride/padding, avgpool, flatten, dense. */
    public static Model cnn(long seed) {
        Rng r = new Rng(seed);
        List<Layer> ls = new ArrayList<>();
        ls.add(new Layer.Conv2d(null, rand(r, 0.4, 4, 2, 3, 3), null, Layer.Hw.of(1), Layer.Hw.of(1)));     // no bias before batchnorm
        ls.add(new Layer.BatchNorm(null, rand(r, 0.2, 4), Tensor.ofDoubles(Shape.of(4), new double[]{0.6, 1.1, 0.9, 1.4}),
                rand(r, 1, 4), rand(r, 0.2, 4), Rational.of(1, 100_000)));
        ls.add(relu());
        ls.add(new Layer.Residual(null, List.of(
                new Layer.Conv2d(null, rand(r, 0.3, 4, 4, 3, 3), null, Layer.Hw.of(1), Layer.Hw.of(1)),
                smooth(Layer.Smooth.Fn.TANH)), null));
        ls.add(new Layer.MaxPool2d(null, Layer.Hw.of(2), Layer.Hw.of(2)));
        ls.add(new Layer.Conv2d(null, rand(r, 0.3, 3, 4, 2, 3), rand(r, 0.1, 3), new Layer.Hw(1, 2), new Layer.Hw(1, 0)));
        ls.add(new Layer.AvgPool2d(null, new Layer.Hw(2, 1), Layer.Hw.of(1)));
        ls.add(new Layer.Flatten(null));
        Model probe = new Model("cnn", Shape.of(2, 8, 8), ls);
        int flat = probe.output().size();
        ls.add(dense(r, flat, 3));
        return new Model("cnn", Shape.of(2, 8, 8), ls);
    }

    /** n rows of seeded uniform inputs in [−1, 1). */
    public static double[] data(long seed, int n, int d) {
        Rng r = new Rng(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * r.uniform() - 1;
        }
        return x;
    }

    /** Class indices in 0..k−1 as one column. */
    public static double[] classes(long seed, int n, int k) {
        Rng r = new Rng(seed);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.below(k);
        }
        return y;
    }

    /** Class probabilities (rows summing to 1). */
    public static double[] probabilities(long seed, int n, int k) {
        Rng r = new Rng(seed);
        double[] y = new double[n * k];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                y[i * k + j] = r.uniform() + 0.1;
                s += y[i * k + j];
            }
            for (int j = 0; j < k; j++) {
                y[i * k + j] /= s;
            }
        }
        return y;
    }

    /** Elementwise |a − b| ≤ rel·|b| + 1e-14·max|b|; returns the worst relative error for messages. */
    public static double maxRelErr(double[] a, double[] b) {
        double scale = 0;
        for (double v : b) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double err = Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + 1e-4 * scale + Double.MIN_NORMAL);
            worst = Math.max(worst, err);
        }
        return worst;
    }

    /** Asserts elementwise agreement: |a − b| ≤ tol·(|b| + 1e-4·max|b|) for every element. */
    public static void assertClose(double[] got, double[] want, double tol, String what) {
        org.junit.jupiter.api.Assertions.assertEquals(want.length, got.length, what + ": length");
        double worst = maxRelErr(got, want);
        if (worst > tol) {
            int at = worstIndex(got, want);
            org.junit.jupiter.api.Assertions.fail(what + ": worst relative error " + worst + " > " + tol + " at index " + at + " ("
                    + got[at] + " vs " + want[at] + ")");
        }
    }

    static int worstIndex(double[] a, double[] b) {
        double scale = 0;
        for (double v : b) {
            scale = Math.max(scale, Math.abs(v));
        }
        int at = 0;
        double worst = -1;
        for (int i = 0; i < a.length; i++) {
            double err = Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + 1e-4 * scale + Double.MIN_NORMAL);
            if (err > worst) {
                worst = err;
                at = i;
            }
        }
        return at;
    }
}
