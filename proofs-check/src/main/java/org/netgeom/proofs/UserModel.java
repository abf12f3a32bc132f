package org.netgeom.proofs;

import org.netgeom.ir.Binder;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.poly.Domain;

import java.util.Random;

/**
 * What a theorem about a given network takes from the command line: the user's model
 * ({@code --model}), its input box ({@code --box}, default [−1, 1]^n) and data ({@code --data}, or
 * seeded points drawn inside the box with seeded targets).
 */
public final class UserModel {
    private UserModel() {
    }

    /** The user's model, refused with {@link ProofsError#MODEL_NOT_APPLICABLE} unless piecewise linear and free of symbols. */
    public static Model piecewiseLinear(CheckContext ctx, String theorem) {
        Model m = ctx.model();
        if (!m.isPiecewiseLinear()) {
            throw ProofsError.MODEL_NOT_APPLICABLE.at("--model", theorem + " needs a piecewise-linear network (no smooth activations)");
        }
        Binder.requireNoSymbols(m);
        return m;
    }

    /** The box of {@code --box} for the model's input, or [−1, 1]^n. */
    public static Domain domain(CheckContext ctx, Model m) {
        int n = m.input().size();
        return ctx.box() == null ? Nets.box(n, Rational.MINUS_ONE, Rational.ONE) : Nets.box(n, ctx.box());
    }

    /** A seeded input on the grid of sixteenths strictly inside the box of {@code --box} (default [−1, 1]^n). */
    public static Rational[] point(CheckContext ctx, Model m, Random rnd) {
        Domain box = domain(ctx, m);
        Rational[] lo = box.lower();
        Rational[] hi = box.upper();
        Rational[] x = new Rational[lo.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = lo[j].add(hi[j].subtract(lo[j]).multiply(Rational.of(1 + rnd.nextInt(15), 16)));
        }
        return x;
    }

    /**
     * The user's data ({@code --data}), or {@code points} seeded inputs ({@link #point}) with
     * seeded targets in [−1, 1] (denominators up to 4), one per output.
     */
    public static DataSet data(CheckContext ctx, Model m, int points, Random rnd) {
        if (ctx.data() != null) {
            ctx.data().requireTargets(m.output().size());
            return ctx.data();
        }
        int n = m.input().size();
        int k = m.output().size();
        Rational[] x = new Rational[points * n];
        Rational[] y = new Rational[points * k];
        for (int i = 0; i < points; i++) {
            System.arraycopy(point(ctx, m, rnd), 0, x, i * n, n);
            for (int j = 0; j < k; j++) {
                y[i * k + j] = Instances.rational(rnd, 4, 4);
            }
        }
        return new DataSet(Tensor.of(Shape.of(points, n), x), Tensor.of(Shape.of(points, k), y));
    }
}
