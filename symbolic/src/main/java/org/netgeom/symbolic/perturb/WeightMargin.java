package org.netgeom.symbolic.perturb;

import org.netgeom.ir.DataSet;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.linalg.ExactMatrices;
import org.netgeom.symbolic.loss.LossCell;
import org.netgeom.symbolic.loss.LossKind;
import org.netgeom.symbolic.loss.Variables;
import org.netgeom.symbolic.linalg.CReal;
import org.netgeom.symbolic.linalg.RealRoot;
import org.netgeom.symbolic.linalg.Spectra;

import java.util.List;

/**
 * How far the weights of one layer L can move before any data point's activation pattern
 * changes, and what the loss can do meanwhile.
 *
 * <p>Every pattern stays as it is exactly while θ stays in the loss cell of θ0 ({@link LossCell}):
 * {n_i·θ + o_i &gt; 0} for units on the '1' branch, ≥ 0 for the others. The largest ε with every
 * perturbation ‖Δθ‖₂ &lt; ε (the Frobenius norm ‖ΔW‖_F when θ is the weight matrix) inside the
 * cell is the distance from θ0 to the cell's boundary, ε² = min_i (n_i·θ0 + o_i)² / ‖n_i‖² over the
 * inequalities with n_i ≠ 0, exactly rational (redundant inequalities do not lower it; see
 * {@link LocalMap}). ε itself is attained (‖Δθ‖ ≤ ε keeps every pattern) when every minimising
 * inequality is non-strict. On that ball loss(θ0 + Δ) − loss(θ0) = ∇ᵀΔ + ½ΔᵀHΔ exactly, so
 * −‖∇‖ε ≤ Δloss ≤ ‖∇‖ε + ½λ_max(H)ε² (H ⪰ 0, Cauchy–Schwarz).
 */
public final class WeightMargin {
    private WeightMargin() {
    }

    /**
     * ε² (null when no pattern can ever change: the ball is unbounded), whether ε is attained,
     * the limiting inequality, and the loss and its change bounds.
     */
    public record Result(Variables vars, LossCell.Result cell, Rational epsilon2, boolean attained,
                         LossCell.Inequality limiting, Rational gradientNorm2, RealRoot lambdaMax,
                         CReal increaseBound, CReal decreaseBound) {
        /** ε = √ε², certified. */
        public CReal epsilon() {
            return epsilon2 == null ? null : CReal.sqrt(CReal.of(epsilon2));
        }
    }

    /** The margin of the variables {@code vars} (L's weights, or weights and bias) for the data and loss. */
    public static Result compute(Variables vars, DataSet data, LossKind loss, Progress progress) {
        LossCell.Result cell = LossCell.compute(vars, data, loss, progress);
        Rational[] u0 = cell.point();
        Rational best = null;
        LossCell.Inequality lim = null;
        boolean attained = true;
        for (LossCell.Inequality q : cell.cell()) {
            Rational v = q.valueAt(u0);
            Rational d2 = v.multiply(v).divide(ExactMatrices.dot(q.normal(), q.normal()));
            int cmp = best == null ? -1 : d2.compareTo(best);
            if (cmp < 0) {
                best = d2;
                lim = q;
                attained = !q.strict();
            } else if (cmp == 0) {
                attained &= !q.strict();
            }
        }
        Rational[] grad = cell.gradientAt(u0);
        Rational g2 = ExactMatrices.dot(grad, grad);
        List<Spectra.Eigen> eig = cell.eigenvalues();
        RealRoot lmax = eig.isEmpty() ? RealRoot.rational(Rational.ZERO) : eig.get(eig.size() - 1).value();
        CReal up = null;
        CReal down = null;
        if (best != null) {
            CReal eps = CReal.sqrt(CReal.of(best));
            CReal lin = CReal.sqrt(CReal.of(g2)).multiply(eps);
            up = lin.add(CReal.of(best.multiply(Rational.HALF)).multiply(lmax));
            down = lin;
        }
        return new Result(vars, cell, best, best == null || attained, lim, g2, lmax, up, down);
    }
}
