package org.netgeom.symbolic.perturb;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Binder;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.linalg.ExactMatrices;
import org.netgeom.symbolic.loss.AffineForward;

import java.util.List;

/**
 * The local affine map of a piecewise-linear network at an input X, f(x) = A x + b on the
 * activation region of X (Riedi, Balestriero &amp; Baraniuk 2022, the local linear representation),
 * and the exact squared Euclidean distance from X to the nearest boundary of that region.
 *
 * <p>The region is {x : g_i(x) ≥ 0 for all i}, one affine inequality per unit (its pre-activation,
 * signed by its branch; max-pool winners against the rest of their window), each affine in x on
 * the region. For X inside, the distance to the region's boundary is
 * min_i g_i(X)² / ‖∇g_i‖² over the inequalities with ∇g_i ≠ 0: the distance to each hyperplane
 * g_i = 0, minimised. Redundant inequalities (whose hyperplane only touches the region, or misses
 * it) never lower the minimum: the closed ball of radius r = min_i dist(X, {g_i = 0}) satisfies
 * every inequality, so it lies in the closed region, and its point on the nearest hyperplane is a
 * boundary point; hence the minimum over all inequalities, redundant or not, is exactly the
 * distance to the boundary. Inequalities with ∇g_i = 0 are constants and bound nothing.
 */
public final class LocalMap {
    private LocalMap() {
    }

    /** The map x ↦ A x + b at X, X's pattern, and the region's inequalities. */
    public record Result(Rational[] x, String pattern, boolean onBoundary, Rational[][] a, Rational[] b,
                         List<AffineForward.Constraint> region, Rational distance2, AffineForward.Constraint nearest) {
    }

    /** The local map of a model without free symbols at the input x (flattened row-major). */
    public static Result at(Model model, Rational[] x) {
        Binder.requireNoSymbols(model);
        int n = model.input().size();
        if (x.length != n) {
            throw IrError.BAD_INPUT.at("--at", "the model takes " + n + " input values (shape " + model.input() + "), "
                    + x.length + " were given");
        }
        AffineForward.Result r = AffineForward.run(model, AffineForward.identity(n), n, null, AffineForward.atPoint(x));
        Rational[][] out = r.output();
        Rational[][] a = new Rational[out.length][n];
        Rational[] b = new Rational[out.length];
        for (int i = 0; i < out.length; i++) {
            b[i] = out[i][0];
            System.arraycopy(out[i], 1, a[i], 0, n);
        }
        Rational best = null;
        AffineForward.Constraint nearest = null;
        boolean boundary = false;
        for (AffineForward.Constraint c : r.constraints()) {
            if (c.isConstant()) {
                continue;
            }
            Rational[] normal = new Rational[n];
            System.arraycopy(c.g(), 1, normal, 0, n);
            Rational v = AffineForward.valueAt(c.g(), x);
            Rational d2 = v.multiply(v).divide(ExactMatrices.dot(normal, normal));
            boundary |= v.isZero();
            if (best == null || d2.compareTo(best) < 0) {
                best = d2;
                nearest = c;
            }
        }
        return new Result(x.clone(), r.pattern(), boundary, a, b, r.constraints(), best, nearest);
    }
}
