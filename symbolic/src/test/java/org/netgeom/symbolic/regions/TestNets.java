package org.netgeom.symbolic.regions;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.IrReader;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Models for the tests: hand-written examples and seeded random rational nets. */
final class TestNets {
    private TestNets() {
    }

    static Model json(String text) {
        return IrReader.read(text, null);
    }

    /** Telgarsky's tent map t(x) = relu(2 relu(x) − 4 relu(x − 1/2)) composed k times. */
    static Model tent(int k) {
        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            ls.add(dense(new Rational[][]{{q(1)}, {q(1)}}, q(0), q(-1, 2)));
            ls.add(Layer.AbRelu.relu(null));
            ls.add(dense(new Rational[][]{{q(2), q(-4)}}, q(0)));
            ls.add(Layer.AbRelu.relu(null));
        }
        return new Model("tent-" + k, Shape.of(1), ls);
    }

    /**
     * Yarotsky 2017's approximation of x² on [0, 1]: f_m = x − Σ_{s=1}^m g_s(x)/4^s, g_s the tent
     * map composed s times, as a relu network carrying (relu(y), relu(y − 1/2), relu(acc)).
     */
    static Model yarotsky(int m) {
        List<Layer> ls = new ArrayList<>();
        ls.add(dense(new Rational[][]{{q(1)}, {q(1)}, {q(1)}}, q(0), q(-1, 2), q(0)));
        ls.add(Layer.AbRelu.relu(null));
        for (int s = 1; s < m; s++) {
            Rational f = q(1, 1L << (2 * s));
            Rational[] accRow = {q(-2).multiply(f), q(4).multiply(f), q(1)};
            ls.add(dense(new Rational[][]{{q(2), q(-4), q(0)}, {q(2), q(-4), q(0)}, accRow}, q(0), q(-1, 2), q(0)));
            ls.add(Layer.AbRelu.relu(null));
        }
        Rational f = q(1, 1L << (2 * m));
        ls.add(dense(new Rational[][]{{q(-2).multiply(f), q(4).multiply(f), q(1)}}, q(0)));
        return new Model("yarotsky-" + m, Shape.of(1), ls);
    }

    static Rational q(long n) {
        return Rational.of(n);
    }

    static Rational q(long n, long d) {
        return Rational.of(n, d);
    }

    static Layer.Dense dense(Rational[][] w, Rational... b) {
        return new Layer.Dense(null, Tensor.matrix(w), Tensor.vector(b));
    }

    /** A maxout MLP: dense(n→w·k), maxout k, per width, then dense(→outs); weights j/4. */
    static Model maxout(long seed, int n, int[] widths, int k, int outs) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Layer> ls = new java.util.ArrayList<>();
        int in = n;
        for (int w : widths) {
            ls.add(RandomNets.dense(r, in, w * k, 4));
            ls.add(new Layer.Maxout(null, k));
            in = w;
        }
        ls.add(RandomNets.dense(r, in, outs, 4));
        return new Model("maxout", Shape.of(n), ls);
    }

    /** Residual MLP: dense(n→h), act, residual[dense(h→h), act, dense(h→h)], act, dense(h→1). */
    static Model residual(long seed, int n, int h, String act, boolean denseShortcut) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Layer> body = List.of(RandomNets.dense(r, h, h, 4), RandomNets.activation(act), RandomNets.dense(r, h, h, 4));
        List<Layer> shortcut = denseShortcut ? List.of(RandomNets.dense(r, h, h, 4)) : null;
        return new Model("residual", Shape.of(n), List.of(RandomNets.dense(r, n, h, 4), RandomNets.activation(act),
                new Layer.Residual("block", body, shortcut), RandomNets.activation("relu"), RandomNets.dense(r, h, 1, 4)));
    }

    /** dense(n→h), batchnorm (var + eps a square), relu, dense(h→h), leaky, dense(h→outs). */
    static Model batchnorm(long seed, int n, int h, int outs) {
        SplittableRandom r = new SplittableRandom(seed);
        Rational[] mean = new Rational[h];
        Rational[] var = new Rational[h];
        Rational[] w = new Rational[h];
        Rational[] b = new Rational[h];
        Rational eps = q(1, 100_000);
        for (int i = 0; i < h; i++) {
            mean[i] = q(r.nextInt(-4, 5), 8);
            Rational sd = q(r.nextInt(1, 5), 2);
            var[i] = sd.multiply(sd).subtract(eps);          // var + eps = sd^2
            w[i] = q(r.nextInt(-4, 5), 4);
            b[i] = q(r.nextInt(-4, 5), 4);
        }
        Layer bn = new Layer.BatchNorm("bn", Tensor.vector(mean), Tensor.vector(var), Tensor.vector(w), Tensor.vector(b), eps);
        return new Model("bn", Shape.of(n), List.of(RandomNets.dense(r, n, h, 4), bn, Layer.AbRelu.relu(null),
                RandomNets.dense(r, h, h, 4), RandomNets.activation("leaky_relu"), RandomNets.dense(r, h, outs, 4)));
    }

    /** dense(n→2), relu, concat[dense(2→2), abs], dense(4→1). */
    static Model concat(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        return new Model("concat", Shape.of(n), List.of(RandomNets.dense(r, n, 3, 4), Layer.AbRelu.relu(null),
                new Layer.Concat("cat", List.of(RandomNets.dense(r, 3, 2, 4), Layer.AbRelu.abs(null))),
                RandomNets.dense(r, 5, 1, 4)));
    }

    /** A 1×4×4 image: conv2d(1→1, k×k, stride, padding), relu, then max or average pooling 2×2, flatten, dense. */
    static Model conv(long seed, int k, int stride, int padding, boolean maxPool) {
        SplittableRandom r = new SplittableRandom(seed);
        Rational[] w = new Rational[k * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = q(r.nextInt(-4, 5), 4);
        }
        Tensor weight = Tensor.of(Shape.of(1, 1, k, k), w);
        Layer conv = new Layer.Conv2d("conv", weight, Tensor.vector(q(r.nextInt(-4, 5), 8)), new Layer.Hw(stride, stride),
                new Layer.Hw(padding, padding));
        int side = (4 + 2 * padding - k) / stride + 1;
        Layer pool = maxPool ? new Layer.MaxPool2d("pool", Layer.Hw.of(2), Layer.Hw.of(2))
                : new Layer.AvgPool2d("pool", Layer.Hw.of(2), Layer.Hw.of(2));
        int pooled = (side - 2) / 2 + 1;
        return new Model("conv", Shape.of(1, 4, 4), List.of(conv, Layer.AbRelu.relu(null), pool, new Layer.Flatten(null),
                RandomNets.dense(r, pooled * pooled, 1, 4)));
    }
}
