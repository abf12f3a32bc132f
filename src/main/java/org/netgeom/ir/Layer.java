package org.netgeom.ir;

import java.util.List;

/**
 * One op of the IR (IR.md, "Ops (version 1)"). Layers are data: immutable records, one per op
 * family. Analyses are interpreters over them through {@link LayerVisitor}, so that a new op is
 * a compile error in every interpreter that does not handle it.
 *
 * <p>relu, leaky_relu, abs and abrelu are one record, {@link AbRelu}; the smooth activations are
 * one record, {@link Smooth}.
 */
public sealed interface Layer
        permits Layer.Dense, Layer.AbRelu, Layer.Identity, Layer.Square, Layer.Smooth, Layer.Residual,
        Layer.Concat, Layer.BatchNorm, Layer.Conv2d, Layer.MaxPool2d, Layer.AvgPool2d, Layer.Flatten, Layer.HardTanh, Layer.Maxout {

    /** The layer's {@code "name"}, or null when it has none. */
    String name();

    /** The op as spelled in the IR ({@code "dense"}, {@code "leaky_relu"}, ...). */
    String op();

    <R> R accept(LayerVisitor<R> v);

    /** A pair of integers (kernel, stride, padding): {@code [h, w]}, or one int for both. */
    record Hw(int h, int w) {
        public static Hw of(int k) {
            return new Hw(k, k);
        }

        @Override
        public String toString() {
            return h == w ? Integer.toString(h) : "[" + h + ", " + w + "]";
        }
    }

    /** {@code y = W x + b}; W is {@code [out][in]}; {@code bias} null means zeros (and is no parameter). */
    record Dense(String name, Tensor weight, Tensor bias) implements Layer {
        public String op() {
            return "dense";
        }

        public int in() {
            return weight.shape().dim(1);
        }

        public int out() {
            return weight.shape().dim(0);
        }

        /** The bias, or zeros when the layer has none. */
        public Tensor biasOrZeros() {
            return bias != null ? bias : Tensor.zeros(Shape.of(out()));
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /**
     * {@code pos·x if x > 0 else neg·x}, applied elementwise. relu is (neg 0, pos 1), leaky_relu
     * (slope, 1), abs (-1, 1); {@code op} keeps the spelling the file used.
     */
    record AbRelu(String name, String op, Scalar neg, Scalar pos) implements Layer {
        public static final List<String> OPS = List.of("relu", "leaky_relu", "abs", "abrelu");

        public static AbRelu relu(String name) {
            return new AbRelu(name, "relu", Rational.ZERO, Rational.ONE);
        }

        public static AbRelu leakyRelu(String name, Scalar slope) {
            return new AbRelu(name, "leaky_relu", slope, Rational.ONE);
        }

        public static AbRelu abs(String name) {
            return new AbRelu(name, "abs", Rational.MINUS_ONE, Rational.ONE);
        }

        public static AbRelu abrelu(String name, Scalar neg, Scalar pos) {
            return new AbRelu(name, "abrelu", neg, pos);
        }

        /**
         * The derivative at the kink (x = 0) that every engine uses, PyTorch's: abs'(0) = 0
         * ({@code torch.abs}'s subgradient is sign(0) = 0); every other member takes the slope of
         * the negative side: relu'(0) = 0, leaky_relu'(0) = slope, abrelu'(0) = neg (what
         * {@code torch.where(x > 0, pos·x, neg·x)} gives). docs/ir.md, "Kinks".
         */
        public Scalar slopeAtZero() {
            return slopeAtZero(op, neg, Rational.ZERO);
        }

        /** {@link #slopeAtZero()} for an op spelling and its negative-side slope. */
        public static <S> S slopeAtZero(String op, S neg, S zero) {
            return op.equals("abs") ? zero : neg;
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code y = x}. */
    record Identity(String name) implements Layer {
        public String op() {
            return "identity";
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code y = x²} elementwise (quadratic activation). */
    record Square(String name) implements Layer {
        public String op() {
            return "square";
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /** A smooth activation, elementwise; not piecewise affine. */
    record Smooth(String name, Fn fn) implements Layer {
        /** The smooth functions, as PyTorch defines them with default arguments. */
        public enum Fn {
            /** tanh x. */
            TANH("tanh"),
            /** 1 / (1 + e^{-x}). */
            SIGMOID("sigmoid"),
            /** erf x = 2/√π ∫₀ˣ e^{-t²} dt. */
            ERF("erf"),
            /** log(1 + e^x) (torch.nn.Softplus: beta 1, threshold 20, above which it is x). */
            SOFTPLUS("softplus"),
            /** x·Φ(x) = x/2·(1 + erf(x/√2)) (torch.nn.GELU, approximate='none'). */
            GELU("gelu");

            public final String op;

            Fn(String op) {
                this.op = op;
            }

            public static Fn byOp(String op) {
                for (Fn f : values()) {
                    if (f.op.equals(op)) {
                        return f;
                    }
                }
                return null;
            }
        }

        public String op() {
            return fn.op;
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code shortcut(x) + layers(x)}; {@code shortcut} null means the identity. */
    record Residual(String name, List<Layer> layers, List<Layer> shortcut) implements Layer {
        public Residual {
            layers = List.copyOf(layers);
            shortcut = shortcut == null ? null : List.copyOf(shortcut);
        }

        public String op() {
            return "residual";
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code [x ; layers(x)]}, concatenated along the first (feature or channel) dimension. */
    record Concat(String name, List<Layer> layers) implements Layer {
        public Concat {
            layers = List.copyOf(layers);
        }

        public String op() {
            return "concat";
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /**
     * Inference-mode batch normalisation per feature (vectors) or channel ({@code [C, H, W]}):
     * {@code weight·(x − mean)/√(var + eps) + bias}. {@code weight}/{@code bias} null mean 1/0
     * (PyTorch's affine=False) and are then no parameters; mean and var are running statistics,
     * never parameters.
     */
    record BatchNorm(String name, Tensor mean, Tensor var, Tensor weight, Tensor bias, Scalar eps) implements Layer {
        /** PyTorch's default eps, exactly 1/100000. */
        public static final Rational DEFAULT_EPS = Rational.of(1, 100_000);

        public String op() {
            return "batchnorm";
        }

        public int features() {
            return mean.size();
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /** As torch.nn.Conv2d on {@code [C, H, W]}: weight {@code [out][in][kh][kw]}, zero padding. */
    record Conv2d(String name, Tensor weight, Tensor bias, Hw stride, Hw padding) implements Layer {
        public String op() {
            return "conv2d";
        }

        public int outChannels() {
            return weight.shape().dim(0);
        }

        public int inChannels() {
            return weight.shape().dim(1);
        }

        public Hw kernel() {
            return new Hw(weight.shape().dim(2), weight.shape().dim(3));
        }

        public Tensor biasOrZeros() {
            return bias != null ? bias : Tensor.zeros(Shape.of(outChannels()));
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /** As torch.nn.MaxPool2d(kernel, stride) (no padding, floor mode). */
    record MaxPool2d(String name, Hw kernel, Hw stride) implements Layer {
        public String op() {
            return "maxpool2d";
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /** As torch.nn.AvgPool2d(kernel, stride) (no padding, floor mode). */
    record AvgPool2d(String name, Hw kernel, Hw stride) implements Layer {
        public String op() {
            return "avgpool2d";
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code [C, H, W] → [C·H·W]}, row-major (as torch.flatten(x, 1) per sample). */
    record Flatten(String name) implements Layer {
        public String op() {
            return "flatten";
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /**
     * As torch.nn.Hardtanh(min_val, max_val): {@code min(max(x, min), max)} elementwise, with
     * rational {@code min < max} (PyTorch's defaults -1 and 1). Its derivative is 1 where
     * {@code min < x < max} and 0 elsewhere, at both kinks included: PyTorch's
     * {@code hardtanh_backward} passes the gradient only strictly inside (docs/ir.md, "Kinks").
     * Piecewise-linear engines treat each unit as two sign units, {@code x > min} then
     * {@code x > max} (pattern "00" at min, "10" linear, "11" at max; "01" is empty).
     */
    record HardTanh(String name, Rational min, Rational max) implements Layer {
        /** torch.nn.Hardtanh's defaults. */
        public static final Rational DEFAULT_MIN = Rational.MINUS_ONE;
        public static final Rational DEFAULT_MAX = Rational.ONE;

        public HardTanh {
            if (min.compareTo(max) >= 0) {
                throw new IllegalArgumentException("hardtanh needs min_val < max_val, found " + min + " >= " + max);
            }
        }

        public String op() {
            return "hardtanh";
        }

        /** The derivative at z, PyTorch's convention: 1 strictly inside (min, max), else 0 (kinks included). */
        public boolean passes(Rational z) {
            return z.compareTo(min) > 0 && z.compareTo(max) < 0;
        }

        /** {@link #passes(Rational)} for a double. */
        public static boolean passes(double z, double min, double max) {
            return z > min && z < max;
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }

    /**
     * Maxout (Goodfellow et al. 2013) of rank {@code k} over a vector of n·k values: output i is the
     * largest of the k consecutive entries {@code x[i·k] … x[i·k + k − 1]}, as PyTorch's
     * {@code x.view(-1, n, k).max(-1).values} (PyTorch has no maxout layer; the k affine pieces of a
     * unit are the rows of the dense layer before it). Ties go to the first maximum, as in max
     * pooling: the winner's index is the unit's pattern character (0-9, then a-z), and the gradient
     * goes to it.
     */
    record Maxout(String name, int k) implements Layer {
        public Maxout {
            if (k < 1) {
                throw new IllegalArgumentException("maxout needs k >= 1, found " + k);
            }
        }

        public String op() {
            return "maxout";
        }

        public <R> R accept(LayerVisitor<R> v) {
            return v.visit(this);
        }
    }
}
