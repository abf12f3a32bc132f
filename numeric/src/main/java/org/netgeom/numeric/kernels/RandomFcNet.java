package org.netgeom.numeric.kernels;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.numeric.Activations;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random fully connected net {@code stax.serial(*[Dense(width), φ] * depth, Dense(1))} in
 * neural-tangents' NTK parameterisation: h¹ = (σ_w/√n₀) W¹x + σ_b b¹,
 * h^{l+1} = (σ_w/√n_l) W^{l+1} φ(h^l) + σ_b b^{l+1}, every entry of every W and b an independent
 * standard normal (seeded, {@link SplittableRandom#nextGaussian}). The output is one scalar.
 *
 * @param phi     the activation layer (relu family, identity, square or a smooth activation)
 * @param sigmaW2 σ_w²
 * @param sigmaB2 σ_b²
 * @param weights W^l as [out][in], l = 1..depth+1
 * @param biases  b^l, l = 1..depth+1
 */
public record RandomFcNet(Layer phi, double sigmaW2, double sigmaB2, double[][][] weights, double[][] biases) {

    /** Draws a net with {@code depth} hidden layers of {@code width} units on inputs of dimension {@code d}. */
    public static RandomFcNet sample(int d, int width, int depth, Layer phi, double sigmaW2, double sigmaB2, long seed) {
        if (d < 1 || width < 1 || depth < 0) {
            throw IrError.BAD_INPUT.error("a net needs input dimension, width >= 1 and depth >= 0");
        }
        activation(phi, 0.0, 0);                       // refuses what is not an elementwise activation
        SplittableRandom r = new SplittableRandom(seed);
        double[][][] w = new double[depth + 1][][];
        double[][] b = new double[depth + 1][];
        for (int l = 0; l <= depth; l++) {
            int in = l == 0 ? d : width;
            int out = l == depth ? 1 : width;
            w[l] = new double[out][in];
            b[l] = new double[out];
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    w[l][i][j] = r.nextGaussian();
                }
                b[l][i] = r.nextGaussian();
            }
        }
        return new RandomFcNet(phi, sigmaW2, sigmaB2, w, b);
    }

    /** The number of hidden layers. */
    public int depth() {
        return weights.length - 1;
    }

    /** The number of parameters (every W and b). */
    public long parameterCount() {
        long p = 0;
        for (int l = 0; l < weights.length; l++) {
            p += (long) weights[l].length * weights[l][0].length + biases[l].length;
        }
        return p;
    }

    /** φ(u) (k = 0) or φ'(u) (k = 1), the IR's convention at the kink ({@link Layer.AbRelu#slopeAtZero()}). */
    static double activation(Layer phi, double u, int k) {
        if (phi instanceof Layer.AbRelu a) {
            double neg = a.neg().rational().doubleValue();
            double pos = a.pos().rational().doubleValue();
            if (k == 0) {
                return u > 0 ? pos * u : neg * u;
            }
            return u > 0 ? pos : u < 0 ? neg : Layer.AbRelu.slopeAtZero(a.op(), neg, 0.0);
        }
        if (phi instanceof Layer.Identity) {
            return k == 0 ? u : 1;
        }
        if (phi instanceof Layer.Square) {
            return k == 0 ? u * u : 2 * u;
        }
        if (phi instanceof Layer.Smooth s) {
            return k == 0 ? Activations.value(s.fn(), u) : Activations.derivative(s.fn(), u);
        }
        throw IrError.BAD_INPUT.error("not an elementwise activation: " + phi);
    }

    /**
     * The forward pass of the rows of x: pre-activations h[l] (n × n_l, l = 1..depth+1, index
     * l − 1) and post-activations a[l] (a[0] = x).
     */
    record Pass(double[][][] h, double[][][] a) {
    }

    Pass forward(double[][] x) {
        int n = x.length;
        int layers = weights.length;
        double[][][] h = new double[layers][][];
        double[][][] a = new double[layers][][];
        a[0] = x;
        for (int l = 0; l < layers; l++) {
            double[][] w = weights[l];
            int in = w[0].length;
            double scale = Math.sqrt(sigmaW2 / in);
            double sb = Math.sqrt(sigmaB2);
            h[l] = new double[n][w.length];
            for (int p = 0; p < n; p++) {
                double[] src = a[l][p];
                double[] dst = h[l][p];
                for (int i = 0; i < w.length; i++) {
                    double[] wi = w[i];
                    double s = 0;
                    for (int j = 0; j < in; j++) {
                        s += wi[j] * src[j];
                    }
                    dst[i] = scale * s + sb * biases[l][i];
                }
            }
            if (l + 1 < layers) {
                a[l + 1] = new double[n][w.length];
                for (int p = 0; p < n; p++) {
                    for (int i = 0; i < w.length; i++) {
                        a[l + 1][p][i] = activation(phi, h[l][p][i], 0);
                    }
                }
            }
        }
        return new Pass(h, a);
    }

    /** f(x) for each row of x. */
    public double[] outputs(double[][] x) {
        double[][] out = forward(x).h()[weights.length - 1];
        double[] f = new double[x.length];
        for (int p = 0; p < x.length; p++) {
            f[p] = out[p][0];
        }
        return f;
    }

    /**
     * The same net as an IR model with the NTK scaling folded into the weights
     * (dense weight (σ_w/√n) W, bias σ_b b), for the other engines.
     */
    public Model toModel() {
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < weights.length; l++) {
            double[][] w = weights[l];
            int in = w[0].length;
            double scale = Math.sqrt(sigmaW2 / in);
            double sb = Math.sqrt(sigmaB2);
            double[] flat = new double[w.length * in];
            double[] bias = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                for (int j = 0; j < in; j++) {
                    flat[i * in + j] = scale * w[i][j];
                }
                bias[i] = sb * biases[l][i];
            }
            layers.add(new Layer.Dense("fc" + (l + 1), Tensor.ofDoubles(Shape.of(w.length, in), flat),
                    Tensor.ofDoubles(Shape.of(w.length), bias)));
            if (l + 1 < weights.length) {
                layers.add(phi);
            }
        }
        return new Model("random-fc", Shape.of(weights[0][0].length), layers);
    }
}
