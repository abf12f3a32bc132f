package org.netgeom.symbolic.exact;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Layer;
import org.netgeom.ir.interp.ArrayDomain;
import org.netgeom.ir.interp.Interpreter;
import org.netgeom.ir.interp.Linear;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.symbolic.SymbolicError;

/**
 * The forward pass in exact rational arithmetic, for every op with rational values: dense, the
 * relu family (abrelu), hardtanh, identity, square, residual, concat, batchnorm (when √(var + eps) is
 * rational), conv2d, max and average pooling, flatten. Smooth activations have no rational
 * values and are refused with {@link SymbolicError#NOT_EXACT}; free symbols must be bound first.
 *
 * <p>Also records the activation pattern at the point (one character per piecewise-linear unit
 * in evaluation order, a residual's body before its shortcut: '1' for a positive
 * pre-activation, '0' otherwise; hardtanh two of them per unit, z &gt; min_val then z &gt; max_val; for max pooling the index of the winner in its window, row-major,
 * 0-9 then a-z) and whether the point lies on a kink (a zero pre-activation or a tie in a max),
 * where the pattern is not that of an open region.
 *
 * <p>A domain of the {@link Interpreter}: the rationals, with the pattern recorded as units are met.
 */
public final class ExactForward extends ArrayDomain<Rational> implements Interpreter.Refusals {
    /** The output, the pattern and whether the point sits on a region boundary. */
    public record Result(Rational[] output, String pattern, boolean onKink) {
    }

    private final StringBuilder pattern = new StringBuilder();
    private boolean kink;

    private ExactForward() {
    }

    /** A fresh domain (one run), for engines in this package that compute on its values. */
    static ExactForward domain() {
        return new ExactForward();
    }

    /** Evaluates a model without free symbols at {@code x} (its input, flattened row-major). */
    public static Result run(Model m, Rational[] x) {
        return run(m, Interpreter.of(m), x);
    }

    /** {@link #run(Model, Rational[])} with the model's interpreter built once (for many points). */
    public static Result run(Model m, Interpreter in, Rational[] x) {
        if (x.length != m.input().size()) {
            throw IrError.BAD_INPUT.error("the model takes " + m.input().size() + " input values (shape " + m.input()
                    + "), " + x.length + " were given");
        }
        org.netgeom.ir.Binder.requireNoSymbols(m);
        ExactForward f = new ExactForward();
        Rational[] y = in.run(f, x.clone());
        return new Result(y, f.pattern.toString(), f.kink);
    }

    /** The output only. */
    public static Rational[] eval(Model m, Rational[] x) {
        return run(m, x).output();
    }

    @Override
    public NetgeomException refusal(Layer l) {
        return l instanceof Layer.Smooth ? SymbolicError.NOT_EXACT.error(l.op()
                + " has no exact rational values; use the float64 engine (omit --exact)") : null;
    }

    @Override
    protected Rational[] newArray(int n) {
        return new Rational[n];
    }

    @Override
    protected Rational zero() {
        return Rational.ZERO;
    }

    @Override
    protected Rational constant(Scalar c) {
        return c.rational();
    }

    @Override
    protected Rational plus(Rational a, Rational b) {
        return a.add(b);
    }

    @Override
    protected Rational times(Scalar w, Rational x) {
        return w.rational().multiply(x);
    }

    @Override
    protected Rational twoSlope(Layer.AbRelu l, int unit, Rational z) {
        int s = z.signum();
        kink |= s == 0;
        pattern.append(s > 0 ? '1' : '0');
        return z.multiply(s > 0 ? l.pos().rational() : l.neg().rational());
    }

    /** Two sign units, z &gt; min then z &gt; max ("00" at min, "10" between, "11" at max). */
    @Override
    protected Rational clamp(Layer.HardTanh l, int unit, Rational z) {
        int a = z.compareTo(l.min());
        int b = z.compareTo(l.max());
        kink |= a == 0 || b == 0;
        pattern.append(a > 0 ? '1' : '0').append(b > 0 ? '1' : '0');
        return a <= 0 ? l.min() : b >= 0 ? l.max() : z;
    }

    @Override
    protected Rational square(Rational z) {
        return z.multiply(z);
    }

    @Override
    protected Rational smooth(Layer.Smooth.Fn fn, Rational z) {
        throw SymbolicError.NOT_EXACT.error(fn.op + " has no exact rational values; use the float64 engine (omit --exact)");
    }

    /**
     * The refusal for a batchnorm channel whose √(var + eps) is not a positive rational, for
     * {@link Linear#of(Layer.BatchNorm, int, Linear.NotExact)}.
     */
    public static Linear.NotExact notExact(Layer.BatchNorm l) {
        return (ch, var) -> SymbolicError.NOT_EXACT.error("batchnorm" + (l.name() == null ? "" : " '" + l.name() + "'") + " channel " + ch
                + ": √(var + eps) = √(" + var + ") is not a positive rational, so the exact engine cannot use it (choose var so that "
                + "var + eps is a square, or use the float64 engine)");
    }

    /** Batchnorm as its exact affine map, g·z + (bias − g·mean) per channel. */
    @Override
    public Rational[] normalise(Layer.BatchNorm l, int per, Rational[] v) {
        return linear(Linear.of(l, per, notExact(l)), v);
    }

    @Override
    protected Rational max(Layer l, int o, Rational[] e) {
        Rational best = null;
        int arg = 0;
        for (int k = 0; k < e.length; k++) {
            if (best == null || e[k].compareTo(best) > 0) {
                best = e[k];
                arg = k;
            }
        }
        for (int k = 0; k < e.length; k++) {
            if (k != arg && e[k].compareTo(best) == 0) {
                kink = true;          // a tie at the maximum: on the boundary between two winners
            }
        }
        pattern.append(Character.forDigit(arg, 36));
        return best;
    }
}
