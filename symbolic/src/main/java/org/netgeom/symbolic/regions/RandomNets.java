package org.netgeom.symbolic.regions;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random networks with small exact rational weights, for benchmarks and tests: every
 * weight and bias is an integer in [−den, den] over {@code den} (uniform), so weights lie in
 * [−1, 1].
 */
public final class RandomNets {
    private RandomNets() {
    }

    /**
     * An MLP: {@code inputs} → dense/activation per hidden width → dense to {@code outputs}.
     *
     * @param activation "relu", "leaky_relu" (slope 1/10), "abs", "hardtanh" (min_val −1/2, max_val 3/4)
     */
    public static Model mlp(long seed, int inputs, int[] widths, int outputs, String activation, int den) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int in = inputs;
        for (int w : widths) {
            layers.add(dense(rnd, in, w, den));
            layers.add(activation(activation));
            in = w;
        }
        layers.add(dense(rnd, in, outputs, den));
        return new Model("random-" + seed, Shape.of(inputs), layers);
    }

    /** The activation layer named {@code op} (leaky_relu with slope 1/10, hardtanh on [−1/2, 3/4]). */
    public static Layer activation(String op) {
        return switch (op) {
            case "relu" -> Layer.AbRelu.relu(null);
            case "leaky_relu" -> Layer.AbRelu.leakyRelu(null, Rational.of(1, 10));
            case "abs" -> Layer.AbRelu.abs(null);
            case "hardtanh" -> new Layer.HardTanh(null, Rational.of(-1, 2), Rational.of(3, 4));
            default -> throw new IllegalArgumentException("no activation " + op);
        };
    }

    /** A dense layer with uniform weights j/den, j in [−den, den]. */
    public static Layer.Dense dense(SplittableRandom rnd, int in, int out, int den) {
        Rational[][] w = new Rational[out][in];
        Rational[] b = new Rational[out];
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                w[i][j] = Rational.of(rnd.nextInt(-den, den + 1), den);
            }
            b[i] = Rational.of(rnd.nextInt(-den, den + 1), den);
        }
        return new Layer.Dense(null, Tensor.matrix(w), Tensor.vector(b));
    }
}
