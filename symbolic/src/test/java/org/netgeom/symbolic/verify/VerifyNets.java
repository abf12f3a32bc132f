package org.netgeom.symbolic.verify;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.regions.RandomNets;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded random test nets of every piecewise-linear op: MLPs, residual, concat, batchnorm, conv and pooling. */
final class VerifyNets {
    private VerifyNets() {
    }

    /** Net number {@code i} of a family of 24 (all small enough for exact region enumeration). */
    static Model net(int i) {
        long seed = 1000 + i;
        SplittableRandom r = new SplittableRandom(seed);
        return switch (i % 8) {
            case 0 -> RandomNets.mlp(seed, 2, new int[]{6, 5}, 2, "relu", 8);
            case 1 -> RandomNets.mlp(seed, 3, new int[]{5, 4}, 2, "leaky_relu", 8);
            case 2 -> RandomNets.mlp(seed, 2, new int[]{5, 5}, 1, "abs", 6);
            case 3 -> residual(r, 2, 4);
            case 4 -> conv(r, false);
            case 5 -> conv(r, true);
            case 6 -> concatBn(r, 3, 4);
            default -> RandomNets.mlp(seed, 2, new int[]{8, 8, 6}, 3, "relu", 10);
        };
    }

    static Model residual(SplittableRandom r, int n, int h) {
        List<Layer> body = List.of(RandomNets.activation("relu"), RandomNets.dense(r, h, h, 4));
        List<Layer> body2 = List.of(RandomNets.dense(r, h, h, 4), RandomNets.activation("leaky_relu"), RandomNets.dense(r, h, h, 4));
        return new Model("residual", Shape.of(n), List.of(RandomNets.dense(r, n, h, 4), new Layer.Residual("b1", body, null),
                RandomNets.activation("relu"), new Layer.Residual("b2", body2, List.of(RandomNets.dense(r, h, h, 4))),
                RandomNets.activation("relu"), RandomNets.dense(r, h, 2, 4)));
    }

    /** Input [1, 2, 2]: conv2d 1→c (kernel 1 or 2), relu, then maxpool 2 or avgpool, flatten, dense. */
    static Model conv(SplittableRandom r, boolean max) {
        int c = 3;
        int k = max ? 1 : 2;
        Scalar[] w = new Scalar[c * k * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = Rational.of(r.nextInt(-4, 5), 4);
        }
        Scalar[] b = new Scalar[c];
        for (int i = 0; i < c; i++) {
            b[i] = Rational.of(r.nextInt(-4, 5), 4);
        }
        Layer.Conv2d conv = new Layer.Conv2d(null, Tensor.of(Shape.of(c, 1, k, k), w), Tensor.of(Shape.of(c), b),
                Layer.Hw.of(1), Layer.Hw.of(0));
        List<Layer> ls = new ArrayList<>();
        ls.add(conv);
        ls.add(RandomNets.activation("relu"));
        if (max) {
            ls.add(new Layer.MaxPool2d(null, Layer.Hw.of(2), Layer.Hw.of(2)));
            ls.add(new Layer.Flatten(null));
            ls.add(RandomNets.dense(r, c, 2, 4));
        } else {
            ls.add(new Layer.Flatten(null));
            ls.add(RandomNets.dense(r, c, 4, 4));
            ls.add(RandomNets.activation("relu"));
            ls.add(new Layer.Flatten(null));
            ls.add(RandomNets.dense(r, 4, 2, 4));
        }
        return new Model(max ? "conv-maxpool" : "conv", Shape.of(1, 2, 2), ls);
    }

    /** dense, concat [x ; relu(dense x)], batchnorm (var + eps a square), relu, dense. */
    static Model concatBn(SplittableRandom r, int n, int h) {
        List<Layer> inner = List.of(RandomNets.dense(r, h, h, 4), RandomNets.activation("relu"));
        int w = 2 * h;
        Rational[] mean = new Rational[w];
        Rational[] var = new Rational[w];
        Rational[] g = new Rational[w];
        Rational[] b = new Rational[w];
        for (int i = 0; i < w; i++) {
            mean[i] = Rational.of(r.nextInt(-4, 5), 8);
            var[i] = Rational.of(r.nextInt(1, 4) * r.nextInt(1, 4)).subtract(Layer.BatchNorm.DEFAULT_EPS);
            // var + eps = a square: (1..3)^2 -> pick squares
            int s = r.nextInt(1, 4);
            var[i] = Rational.of(s * s).subtract(Layer.BatchNorm.DEFAULT_EPS);
            g[i] = Rational.of(r.nextInt(1, 5), 2);
            b[i] = Rational.of(r.nextInt(-4, 5), 4);
        }
        Layer.BatchNorm bn = new Layer.BatchNorm(null, Tensor.vector(mean), Tensor.vector(var), Tensor.vector(g),
                Tensor.vector(b), Layer.BatchNorm.DEFAULT_EPS);
        return new Model("concat-bn", Shape.of(n), List.of(RandomNets.dense(r, n, h, 4), new Layer.Concat("cat", inner), bn,
                RandomNets.activation("relu"), RandomNets.dense(r, w, 2, 4)));
    }
}
