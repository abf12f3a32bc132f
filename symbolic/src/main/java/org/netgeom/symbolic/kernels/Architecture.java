package org.netgeom.symbolic.kernels;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Rational;

/**
 * A fully connected net in neural-tangents' NTK parameterisation,
 * {@code stax.serial(*[Dense(W_std=σ_w, b_std=σ_b), φ] * depth, Dense(W_std=σ_w, b_std=σ_b))}:
 * h¹ = (σ_w/√n₀) W¹x + σ_b b¹, h^{l+1} = (σ_w/√n_l) W^{l+1} φ(h^l) + σ_b b^{l+1}, all W, b standard
 * normal; {@code depth} is the number of hidden layers L, the kernels are those of h^{L+1}.
 *
 * @param activation φ
 * @param depth      L ≥ 0 hidden layers
 * @param sigmaW2    σ_w² &gt; 0 (default 2)
 * @param sigmaB2    σ_b² ≥ 0 (default 0)
 */
public record Architecture(Activation activation, int depth, Rational sigmaW2, Rational sigmaB2) {
    /** The largest depth accepted (closed forms nest one arccos per layer). */
    public static final int MAX_DEPTH = 1000;

    public Architecture {
        if (depth < 0 || depth > MAX_DEPTH) {
            throw IrError.BAD_INPUT.at("--depth", "depth must be between 0 and " + MAX_DEPTH + ", not " + depth);
        }
        if (sigmaW2.signum() <= 0) {
            throw IrError.BAD_INPUT.at("--sigma-w2", "sigma_w^2 must be positive, not " + sigmaW2);
        }
        if (sigmaB2.signum() < 0) {
            throw IrError.BAD_INPUT.at("--sigma-b2", "sigma_b^2 must be non-negative, not " + sigmaB2);
        }
    }

    /** ReLU, σ_w² = 2, σ_b² = 0 with {@code depth} hidden layers (the defaults). */
    public static Architecture relu(int depth) {
        return new Architecture(Activation.relu(), depth, Rational.TWO, Rational.ZERO);
    }

    /** True when the kernel of collinear inputs stays collinear layer after layer (σ_b² = 0, φ homogeneous). */
    boolean keepsRays() {
        return sigmaB2.isZero() && activation.homogeneous();
    }
}
