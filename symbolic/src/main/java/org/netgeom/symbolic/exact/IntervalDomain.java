package org.netgeom.symbolic.exact;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.interp.ArrayDomain;
import org.netgeom.ir.interp.Interpreter;
import org.netgeom.ir.interp.Linear;
import org.netgeom.symbolic.SymbolicError;

/**
 * Interval bound propagation (IBP; Gowal et al. 2018) as a domain of the {@link Interpreter}, in
 * exact rational arithmetic: each unit is an interval [lo, hi] that contains the unit's value for
 * every input in the box. Sums and constant multiples are the exact interval ones (for an affine row
 * this is IBP's centre ± |W|·radius); a piecewise-linear unit takes the least and largest of its
 * values at the two ends and at its kink when the kink lies inside; z² is [0, max] across 0; a
 * max takes the max of the ends. The bounds are therefore sound without rounding arguments, and
 * on a one-point box they are the exact value. Smooth activations have no rational values and are
 * refused ({@code NOT_EXACT}), as in {@link ExactForward}; so is a batchnorm whose √(var + eps) is
 * irrational.
 */
public final class IntervalDomain extends ArrayDomain<IntervalDomain.Iv> implements Interpreter.Refusals {
    /** A closed interval lo ≤ hi of rationals. */
    public record Iv(Rational lo, Rational hi) {
        public Iv {
            if (lo.compareTo(hi) > 0) {
                throw new IllegalArgumentException("empty interval [" + lo + ", " + hi + "]");
            }
        }

        static Iv of(Rational a, Rational b) {
            return a.compareTo(b) <= 0 ? new Iv(a, b) : new Iv(b, a);
        }

        /** True when x lies in the interval. */
        public boolean contains(Rational x) {
            return lo.compareTo(x) <= 0 && x.compareTo(hi) <= 0;
        }
    }

    private IntervalDomain() {
    }

    /** The IBP bounds of every output of {@code m} over the box [lo, hi] (free symbols must be bound). */
    public static Iv[] bounds(Model m, Rational[] lo, Rational[] hi) {
        if (lo.length != m.input().size() || hi.length != lo.length) {
            throw IrError.BAD_INPUT.error("the model takes " + m.input().size() + " input values (shape " + m.input()
                    + "), a box of " + lo.length + " and " + hi.length + " ends was given");
        }
        org.netgeom.ir.Binder.requireNoSymbols(m);
        Iv[] x = new Iv[lo.length];
        for (int i = 0; i < x.length; i++) {
            if (lo[i].compareTo(hi[i]) > 0) {
                throw IrError.BAD_INPUT.error("input " + i + ": lower end " + lo[i] + " above upper end " + hi[i]);
            }
            x[i] = new Iv(lo[i], hi[i]);
        }
        return Interpreter.of(m).run(new IntervalDomain(), x);
    }

    @Override
    public NetgeomException refusal(Layer l) {
        return l instanceof Layer.Smooth ? SymbolicError.NOT_EXACT.error(l.op()
                + " has no exact rational values, so exact interval bounds are not computed") : null;
    }

    @Override
    protected Iv[] newArray(int n) {
        return new Iv[n];
    }

    @Override
    protected Iv zero() {
        return new Iv(Rational.ZERO, Rational.ZERO);
    }

    @Override
    protected Iv constant(Scalar c) {
        Rational r = c.rational();
        return new Iv(r, r);
    }

    @Override
    protected Iv plus(Iv a, Iv b) {
        return new Iv(a.lo.add(b.lo), a.hi.add(b.hi));
    }

    @Override
    protected Iv times(Scalar w, Iv x) {
        Rational r = w.rational();
        return Iv.of(r.multiply(x.lo), r.multiply(x.hi));
    }

    @Override
    protected Iv twoSlope(Layer.AbRelu l, int unit, Iv z) {
        Rational pos = l.pos().rational();
        Rational neg = l.neg().rational();
        Rational a = z.lo.multiply(z.lo.signum() > 0 ? pos : neg);
        Rational b = z.hi.multiply(z.hi.signum() > 0 ? pos : neg);
        Rational min = a.min(b);
        Rational max = a.max(b);
        if (z.lo.signum() < 0 && z.hi.signum() > 0) {              // the kink, value 0, lies inside
            min = min.min(Rational.ZERO);
            max = max.max(Rational.ZERO);
        }
        return new Iv(min, max);
    }

    /** hardtanh is monotone: the clamped ends. */
    @Override
    protected Iv clamp(Layer.HardTanh l, int unit, Iv z) {
        return new Iv(z.lo.max(l.min()).min(l.max()), z.hi.max(l.min()).min(l.max()));
    }

    @Override
    protected Iv square(Iv z) {
        Rational a = z.lo.multiply(z.lo);
        Rational b = z.hi.multiply(z.hi);
        if (z.lo.signum() < 0 && z.hi.signum() > 0) {
            return new Iv(Rational.ZERO, a.max(b));
        }
        return Iv.of(a, b);
    }

    @Override
    protected Iv smooth(Layer.Smooth.Fn fn, Iv z) {
        throw SymbolicError.NOT_EXACT.error(fn.op + " has no exact rational values, so exact interval bounds are not computed");
    }

    /** Batchnorm as its exact affine map (refused as in {@link ExactForward} when it is not rational). */
    @Override
    public Iv[] normalise(Layer.BatchNorm l, int per, Iv[] x) {
        return linear(Linear.of(l, per, ExactForward.notExact(l)), x);
    }

    @Override
    protected Iv max(Layer l, int o, Iv[] e) {
        Rational lo = e[0].lo;
        Rational hi = e[0].hi;
        for (int k = 1; k < e.length; k++) {
            lo = lo.max(e[k].lo);
            hi = hi.max(e[k].hi);
        }
        return new Iv(lo, hi);
    }
}
