package org.netgeom.numeric;

import org.hipparchus.special.Erf;
import org.netgeom.ir.Layer;

/**
 * The smooth activations in float64, as PyTorch computes them with default arguments, and their
 * derivatives. Kinks of the piecewise-linear ones follow PyTorch: relu'(0) = 0,
 * leaky_relu'(0) = slope, abs'(0) = 0 (the negative branch at zero).
 */
public final class Activations {
    private static final double SQRT1_2 = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private Activations() {
    }

    /** f(x) for a smooth activation. */
    public static double value(Layer.Smooth.Fn fn, double x) {
        return switch (fn) {
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case ERF -> Erf.erf(x);
            case SOFTPLUS -> x > 20 ? x : Math.log1p(Math.exp(x));     // torch: beta 1, threshold 20
            case GELU -> 0.5 * x * (1 + Erf.erf(x * SQRT1_2));         // torch: approximate='none'
        };
    }

    /** f'(x) for a smooth activation. */
    public static double derivative(Layer.Smooth.Fn fn, double x) {
        return switch (fn) {
            case TANH -> {
                double t = Math.tanh(x);
                yield 1 - t * t;
            }
            case SIGMOID -> {
                double s = value(Layer.Smooth.Fn.SIGMOID, x);
                yield s * (1 - s);
            }
            case ERF -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
            case SOFTPLUS -> x > 20 ? 1 : value(Layer.Smooth.Fn.SIGMOID, x);
            case GELU -> 0.5 * (1 + Erf.erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
        };
    }

    /**
     * f''(x) for a smooth activation: tanh'' = −2t(1−t²), sigmoid'' = s(1−s)(1−2s),
     * erf'' = −4x/√π·e^{−x²}, softplus'' = s(1−s) (0 above torch's threshold 20, where softplus is x),
     * gelu'' = φ(x)(2 − x²) with φ the standard normal density.
     */
    public static double second(Layer.Smooth.Fn fn, double x) {
        return switch (fn) {
            case TANH -> {
                double t = Math.tanh(x);
                yield -2 * t * (1 - t * t);
            }
            case SIGMOID -> {
                double s = value(Layer.Smooth.Fn.SIGMOID, x);
                yield s * (1 - s) * (1 - 2 * s);
            }
            case ERF -> -4 * x / Math.sqrt(Math.PI) * Math.exp(-x * x);
            case SOFTPLUS -> {
                if (x > 20) {
                    yield 0;
                }
                double s = value(Layer.Smooth.Fn.SIGMOID, x);
                yield s * (1 - s);
            }
            case GELU -> INV_SQRT_2PI * Math.exp(-0.5 * x * x) * (2 - x * x);
        };
    }
}
