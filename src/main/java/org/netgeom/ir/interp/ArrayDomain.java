package org.netgeom.ir.interp;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Scalar;

/**
 * A {@link Domain} whose values are arrays of scalars of one kind {@code S} (rationals, intervals,
 * affine forms, expressions), built from the operations on one scalar: the affine maps, sums,
 * concatenations and unit-by-unit ops are written here once. A subclass gives the scalar
 * arithmetic and the unit functions; it may override a whole-layer method for speed.
 */
public abstract class ArrayDomain<S> implements Domain<S[]> {
    /** A new array of n scalars. */
    protected abstract S[] newArray(int n);

    /** The zero scalar. */
    protected abstract S zero();

    /** An IR constant (a weight or bias, a rational or a free symbol) as a scalar. */
    protected abstract S constant(Scalar c);

    /** {@code a + b}. */
    protected abstract S plus(S a, S b);

    /** {@code w·x} for an IR constant {@code w}. */
    protected abstract S times(Scalar w, S x);

    /** One unit of the relu family; {@code unit} is its index in the layer. */
    protected abstract S twoSlope(Layer.AbRelu l, int unit, S z);

    /** One hardtanh unit, {@code min(max(z, min_val), max_val)}; {@code unit} is its index in the layer. */
    protected abstract S clamp(Layer.HardTanh l, int unit, S z);

    /** {@code z²}. */
    protected abstract S square(S z);

    /** One unit of a smooth activation. */
    protected abstract S smooth(Layer.Smooth.Fn fn, S z);

    /** The max of one window's entries (in window order; maxpool2d or maxout); {@code o} is the output index. */
    protected abstract S max(Layer l, int o, S[] entries);

    @Override
    public int size(S[] x) {
        return x.length;
    }

    @Override
    public S[] linear(Linear a, S[] x) {
        S[] y = newArray(a.out());
        for (int o = 0; o < y.length; o++) {
            Scalar b = a.bias(o);
            S s = b == null ? zero() : constant(b);
            int[] cols = a.cols(o);
            for (int k = 0; k < cols.length; k++) {
                s = plus(s, times(a.weight(o, k), x[cols[k]]));
            }
            y[o] = s;
        }
        return y;
    }

    @Override
    public S[] twoSlope(Layer.AbRelu l, S[] x) {
        S[] y = newArray(x.length);
        for (int i = 0; i < x.length; i++) {
            y[i] = twoSlope(l, i, x[i]);
        }
        return y;
    }

    @Override
    public S[] clamp(Layer.HardTanh l, S[] x) {
        S[] y = newArray(x.length);
        for (int i = 0; i < x.length; i++) {
            y[i] = clamp(l, i, x[i]);
        }
        return y;
    }

    @Override
    public S[] square(Layer.Square l, S[] x) {
        S[] y = newArray(x.length);
        for (int i = 0; i < x.length; i++) {
            y[i] = square(x[i]);
        }
        return y;
    }

    @Override
    public S[] smooth(Layer.Smooth l, S[] x) {
        S[] y = newArray(x.length);
        for (int i = 0; i < x.length; i++) {
            y[i] = smooth(l.fn(), x[i]);
        }
        return y;
    }

    @Override
    public S[] windowMax(Layer l, int[][] windows, S[] x) {
        S[] y = newArray(windows.length);
        for (int o = 0; o < windows.length; o++) {
            S[] e = newArray(windows[o].length);
            for (int k = 0; k < e.length; k++) {
                e[k] = x[windows[o][k]];
            }
            y[o] = max(l, o, e);
        }
        return y;
    }

    @Override
    public S[] add(S[] a, S[] b) {
        S[] y = newArray(a.length);
        for (int i = 0; i < a.length; i++) {
            y[i] = plus(a[i], b[i]);
        }
        return y;
    }

    @Override
    public S[] concat(S[] a, S[] b) {
        S[] y = newArray(a.length + b.length);
        System.arraycopy(a, 0, y, 0, a.length);
        System.arraycopy(b, 0, y, a.length, b.length);
        return y;
    }
}
