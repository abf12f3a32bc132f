package org.netgeom.symbolic.kernels;

import org.netgeom.ir.IrError;
import org.hipparchus.special.Erf;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;

import java.util.Locale;

/**
 * The nonlinearity φ of a fully connected net, as the kernel recursions see it. Closed forms:
 * the relu family {@code φ(u) = pos·u (u > 0), neg·u (u ≤ 0)} (relu, leaky_relu, abs, abrelu:
 * the arc-cosine kernels of degree 1 and 0, Cho &amp; Saul 2009), identity, square
 * (E[u²v²] = q q' + 2 s², Isserlis) and erf (Williams 1997, the arcsine kernel). The other smooth
 * activations (tanh, sigmoid, softplus, gelu, as PyTorch defines them) go through Gauss–Hermite
 * quadrature ({@link GaussHermite}).
 */
public sealed interface Activation {

    /** The name as the command line spells it ("relu", "leaky_relu:1/100", "abrelu:-1/2,1", "tanh"). */
    String name();

    /** True when the kernels have closed forms (and exact expressions). */
    boolean closedForm();

    /** True when φ(c·u) = c^k φ(u) for c &gt; 0 (relu family, identity, square). */
    boolean homogeneous();

    /** φ(u) in float64. */
    double value(double u);

    /** φ'(u) in float64 (the IR's convention at the kink, {@link Layer.AbRelu#slopeAtZero()}). */
    double derivative(double u);

    /** {@code pos·u} for u &gt; 0, {@code neg·u} otherwise. */
    record AbRelu(String op, Rational neg, Rational pos) implements Activation {
        public AbRelu {
            if (neg.isZero() && pos.isZero()) {
                throw IrError.BAD_INPUT.at("--activation", "abrelu with both slopes 0 is the zero function");
            }
        }

        public String name() {
            return switch (op) {
                case "relu", "abs" -> op;
                case "leaky_relu" -> op + ":" + neg;
                default -> "abrelu:" + neg + "," + pos;
            };
        }

        public boolean closedForm() {
            return true;
        }

        public boolean homogeneous() {
            return true;
        }

        public double value(double u) {
            return u > 0 ? pos.doubleValue() * u : neg.doubleValue() * u;
        }

        public double derivative(double u) {
            if (u > 0) {
                return pos.doubleValue();
            }
            return u < 0 ? neg.doubleValue() : Layer.AbRelu.slopeAtZero(op, neg, Rational.ZERO).doubleValue();
        }

        /** a² + b² (a = neg, b = pos). */
        Rational sumSquares() {
            return neg.multiply(neg).add(pos.multiply(pos));
        }

        /** 2ab. */
        Rational twiceProduct() {
            return neg.multiply(pos).multiply(2);
        }
    }

    /** φ(u) = u. */
    record Identity() implements Activation {
        public String name() {
            return "identity";
        }

        public boolean closedForm() {
            return true;
        }

        public boolean homogeneous() {
            return true;
        }

        public double value(double u) {
            return u;
        }

        public double derivative(double u) {
            return 1;
        }
    }

    /** φ(u) = u². */
    record Square() implements Activation {
        public String name() {
            return "square";
        }

        public boolean closedForm() {
            return true;
        }

        public boolean homogeneous() {
            return true;
        }

        public double value(double u) {
            return u * u;
        }

        public double derivative(double u) {
            return 2 * u;
        }
    }

    /** φ(u) = erf(u) (neural-tangents' {@code stax.Erf()} with a = b = 1, c = 0). */
    record ErfAct() implements Activation {
        public String name() {
            return "erf";
        }

        public boolean closedForm() {
            return true;
        }

        public boolean homogeneous() {
            return false;
        }

        public double value(double u) {
            return Erf.erf(u);
        }

        public double derivative(double u) {
            return 2 / Math.sqrt(Math.PI) * Math.exp(-u * u);
        }
    }

    /** A smooth activation without a closed-form kernel: Gauss–Hermite quadrature. */
    record Quadrature(Layer.Smooth.Fn fn) implements Activation {
        private static final double SQRT1_2 = Math.sqrt(0.5);

        public String name() {
            return fn.op;
        }

        public boolean closedForm() {
            return false;
        }

        public boolean homogeneous() {
            return false;
        }

        public double value(double x) {
            return switch (fn) {
                case TANH -> Math.tanh(x);
                case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
                case ERF -> Erf.erf(x);
                case SOFTPLUS -> x > 20 ? x : Math.log1p(Math.exp(x));
                case GELU -> 0.5 * x * (1 + Erf.erf(x * SQRT1_2));
            };
        }

        public double derivative(double x) {
            return switch (fn) {
                case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
                case SIGMOID -> value(x) * (1 - value(x));
                case ERF -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
                case SOFTPLUS -> x > 20 ? 1 : 1 / (1 + Math.exp(-x));
                case GELU -> 0.5 * (1 + Erf.erf(x * SQRT1_2)) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
            };
        }
    }

    /** ReLU. */
    static Activation relu() {
        return new AbRelu("relu", Rational.ZERO, Rational.ONE);
    }

    /**
     * Parses the command line's spelling: {@code relu}, {@code leaky_relu} (slope 1/100, PyTorch's
     * default) or {@code leaky_relu:SLOPE}, {@code abs}, {@code abrelu:NEG,POS}, {@code identity},
     * {@code square}, {@code erf}, {@code tanh}, {@code sigmoid}, {@code softplus}, {@code gelu}.
     */
    static Activation parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        String name = s;
        String arg = null;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            name = s.substring(0, colon);
            arg = s.substring(colon + 1);
        }
        switch (name) {
            case "relu", "abs", "identity", "square", "erf", "tanh", "sigmoid", "softplus", "gelu" -> {
                if (arg != null) {
                    throw IrError.BAD_INPUT.at("--activation", name + " takes no parameter");
                }
            }
            default -> {
            }
        }
        return switch (name) {
            case "relu" -> relu();
            case "abs" -> new AbRelu("abs", Rational.MINUS_ONE, Rational.ONE);
            case "leaky_relu" -> new AbRelu("leaky_relu", arg == null ? Rational.of(1, 100) : number(arg), Rational.ONE);
            case "abrelu" -> {
                String[] ab = arg == null ? new String[0] : arg.split(",");
                if (ab.length != 2) {
                    throw IrError.BAD_INPUT.at("--activation", "abrelu needs two slopes: abrelu:NEG,POS");
                }
                yield new AbRelu("abrelu", number(ab[0]), number(ab[1]));
            }
            case "identity" -> new Identity();
            case "square" -> new Square();
            case "erf" -> new ErfAct();
            default -> {
                Layer.Smooth.Fn fn = Layer.Smooth.Fn.byOp(name);
                if (fn == null) {
                    throw IrError.BAD_INPUT.at("--activation", "unknown activation '" + spec
                            + "' (relu, leaky_relu[:slope], abs, abrelu:neg,pos, identity, square, erf, tanh, sigmoid, softplus, gelu)");
                }
                yield new Quadrature(fn);
            }
        };
    }

    /** The activation of an IR activation layer (relu family, identity, square, smooth). */
    static Activation of(Layer layer) {
        if (layer instanceof Layer.AbRelu a && a.neg() instanceof Rational n && a.pos() instanceof Rational p) {
            return new AbRelu(a.op(), n, p);
        }
        if (layer instanceof Layer.Identity) {
            return new Identity();
        }
        if (layer instanceof Layer.Square) {
            return new Square();
        }
        if (layer instanceof Layer.Smooth s) {
            return s.fn() == Layer.Smooth.Fn.ERF ? new ErfAct() : new Quadrature(s.fn());
        }
        throw IrError.BAD_INPUT.error("not an elementwise activation with numeric parameters: " + layer);
    }

    private static Rational number(String text) {
        try {
            Scalar v = Scalar.parse(text.trim());
            if (v instanceof Rational q) {
                return q;
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            // fall through to the coded error
        }
        throw IrError.BAD_INPUT.at("--activation", "'" + text + "' is not a number");
    }
}
