package org.netgeom.symbolic.kernels;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Rational;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Du, Zhai, Póczos &amp; Singh (ICLR 2019), "Gradient descent provably optimizes
 * over-parameterized neural networks", Theorem 4.1, on a data set: for the two-layer ReLU net
 * f(x) = (1/√m) Σ_r a_r relu(w_r·x) with w_r ~ N(0, I), a_r ~ unif{−1, 1} fixed, ‖x_i‖ = 1,
 * |y_i| ≤ C and λ₀ = λ_min(H∞) &gt; 0, gradient descent on ½ Σ_i (f(x_i) − y_i)² with
 * m = Ω(n⁶/(λ₀⁴δ³)) and step η = O(λ₀/n²) satisfies, with probability at least 1 − δ,
 * ‖y − u(k)‖² ≤ (1 − ηλ₀/2)^k ‖y − u(0)‖² for all k.
 *
 * <p>The theorem states the width only up to its constant (Ω). {@link #widthWithProofConstants}
 * follows the constants of the proof: Lemma 3.2 holds with R = cδλ₀/n², c = √(2π)/16 (from
 * Σ_ij E|H_ij − H_ij(0)| ≤ 4n²R/√(2π), Markov's inequality and ‖H − H(0)‖₂ ≤ λ₀/4); Theorem 4.1
 * needs R' = 4√n‖y − u(0)‖₂/(√m λ₀) &lt; R; with E‖y − u(0)‖² = ‖y‖² + n/2 (for unit inputs
 * E u_i(0)² = ½) and Markov's inequality once more this is
 * m &gt; 16 n⁵ (‖y‖² + n/2)/(c² δ³ λ₀⁴) = (2048/π) n⁵ (‖y‖² + n/2)/(δ³ λ₀⁴). (The failure
 * probabilities of the three events are not split; the union is 3δ.)
 *
 * <p>Du et al.'s step η_Du is for the sum loss ½‖u − y‖²; neural-tangents' {@code learning_rate}
 * η is for the mean loss (1/(2N))‖u − y‖² (see {@link Predict}), so η_Du = η/N.
 *
 * @param lambda0                 λ₀ = λ_min(H∞)
 * @param n                       the number of training points
 * @param delta                   the failure probability δ
 * @param unitNorm                whether every input has ‖x_i‖ = 1 (the theorem's assumption)
 * @param targetsKnown            false when no targets were given: ‖y‖² is then taken as n (|y_i| ≤ 1)
 * @param widthOrder              n⁶/(λ₀⁴δ³), the theorem's width up to its constant
 * @param widthWithProofConstants (2048/π) n⁵ (‖y‖² + n/2)/(δ³λ₀⁴)
 * @param stepSizeOrder           λ₀/n², the theorem's step size up to its constant
 * @param etaDu                   η/N, the step in Du et al.'s convention (null without a learning rate)
 * @param steps                   k (null without)
 * @param rate                    1 − η_Du λ₀/2 (null without a learning rate)
 * @param bound                   rate^k, the bound on ‖y − u(k)‖²/‖y − u(0)‖² (null without k)
 */
public record DuRate(BigDecimal lambda0, int n, Rational delta, boolean unitNorm, boolean targetsKnown, BigDecimal widthOrder,
                     BigDecimal widthWithProofConstants, BigDecimal stepSizeOrder, BigDecimal etaDu, Long steps,
                     BigDecimal rate, BigDecimal bound) {

    /** Which result this is. */
    public static final String THEOREM = "Du, Zhai, Poczos & Singh (ICLR 2019), Theorem 4.1";
    /** The constant of the width bound traced through the proof. */
    public static final String PROOF_CONSTANT = "2048/pi (c = sqrt(2 pi)/16 in Lemma 3.2's R = c delta lambda0/n^2, "
            + "R' = 4 sqrt(n) |y - u(0)|/(sqrt(m) lambda0) in Theorem 4.1, E|y - u(0)|^2 = |y|^2 + n/2)";

    /**
     * The rate check on inputs x (n×d), targets y (n×k; null: |y_i| ≤ 1 is assumed), with λ₀ certified, failure
     * probability δ, neural-tangents' learning rate η (may be null) and k steps (may be null).
     */
    public static DuRate of(Rational[][] x, Rational[][] y, BigDecimal lambda0, Rational delta, Rational eta, Long steps,
                            int digits) {
        if (delta.signum() <= 0 || delta.compareTo(Rational.ONE) >= 0) {
            throw IrError.BAD_INPUT.at("--delta", "delta must lie strictly between 0 and 1, not " + delta);
        }
        if (steps != null && (steps < 0 || steps > Integer.MAX_VALUE)) {
            throw IrError.BAD_INPUT.at("--steps", "steps must be between 0 and " + Integer.MAX_VALUE);
        }
        MathContext mc = new MathContext(digits + 10, RoundingMode.HALF_EVEN);
        MathContext out = new MathContext(digits, RoundingMode.HALF_EVEN);
        int n = x.length;
        boolean unit = true;
        for (Rational[] row : x) {
            unit &= Recursion.dot(row, row).isOne();
        }
        Rational y2 = Rational.of(n);
        int k = 1;
        if (y != null) {
            y2 = Rational.ZERO;
            k = y.length == 0 ? 1 : y[0].length;
            for (Rational[] row : y) {
                y2 = y2.add(Recursion.dot(row, row));
            }
        }
        BigDecimal d = delta.toBigDecimal(mc);
        BigDecimal nn = BigDecimal.valueOf(n);
        boolean positive = lambda0.signum() > 0;
        BigDecimal l4 = lambda0.pow(4, mc);
        BigDecimal order = positive ? nn.pow(6, mc).divide(l4.multiply(d.pow(3, mc), mc), mc) : null;
        BigDecimal proof = positive ? BigDecimal.valueOf(2048).divide(BigMath.pi(mc), mc).multiply(nn.pow(5, mc), mc)
                .multiply(y2.add(Rational.of(n, 2)).toBigDecimal(mc), mc).divide(d.pow(3, mc).multiply(l4, mc), mc) : null;
        BigDecimal step = lambda0.divide(nn.pow(2), mc);
        BigDecimal etaDu = null;
        BigDecimal rate = null;
        BigDecimal bound = null;
        if (eta != null) {
            etaDu = eta.divide(Rational.of((long) n * k)).toBigDecimal(mc);
            rate = BigDecimal.ONE.subtract(etaDu.multiply(lambda0, mc).divide(BigDecimal.valueOf(2), mc), mc);
            if (steps != null) {
                bound = rate.pow(steps.intValue(), mc);
            }
        }
        return new DuRate(lambda0, n, delta, unit, y != null, round(order, out), round(proof, out), round(step, out), round(etaDu, out),
                steps, round(rate, out), round(bound, out));
    }

    private static BigDecimal round(BigDecimal v, MathContext mc) {
        return v == null ? null : v.round(mc);
    }
}
