package org.netgeom.symbolic.exact;

import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.SymbolicError;

import java.util.List;

/**
 * The forward pass in exact rational arithmetic, for every op with rational values: dense, the
 * relu family (abrelu), identity, square, residual, concat, batchnorm (when √(var + eps) is
 * rational), conv2d, max and average pooling, flatten. Smooth activations have no rational
 * values and are refused with {@link SymbolicError#NOT_EXACT}; free symbols must be bound first.
 *
 * <p>Also records the activation pattern at the point (one character per piecewise-linear unit
 * in evaluation order, a residual's body before its shortcut: '1' for a positive
 * pre-activation, '0' otherwise; for max pooling the index of the winner in its window, row-major,
 * 0-9 then a-z) and whether the point lies on a kink (a zero pre-activation or a tie in a max),
 * where the pattern is not that of an open region.
 */
public final class ExactForward implements LayerVisitor<Void> {
    /** The output, the pattern and whether the point sits on a region boundary. */
    public record Result(Rational[] output, String pattern, boolean onKink) {
    }

    private Rational[] v;
    private Shape shape;
    private final StringBuilder pattern = new StringBuilder();
    private boolean kink;

    private ExactForward(Rational[] x, Shape shape) {
        this.v = x;
        this.shape = shape;
    }

    /** Evaluates a model without free symbols at {@code x} (its input, flattened row-major). */
    public static Result run(Model m, Rational[] x) {
        if (x.length != m.input().size()) {
            throw SymbolicError.BAD_INPUT.error("the model takes " + m.input().size() + " input values (shape " + m.input()
                    + "), " + x.length + " were given");
        }
        org.netgeom.ir.Binder.requireNoSymbols(m);
        ExactForward f = new ExactForward(x.clone(), m.input());
        f.all(m.layers());
        return new Result(f.v, f.pattern.toString(), f.kink);
    }

    /** The output only. */
    public static Rational[] eval(Model m, Rational[] x) {
        return run(m, x).output();
    }

    private void all(List<Layer> ls) {
        for (Layer l : ls) {
            l.accept(this);
        }
    }

    @Override
    public Void visit(Layer.Dense l) {
        int out = l.out();
        int in = l.in();
        Tensor w = l.weight();
        Tensor b = l.bias();
        Rational[] y = new Rational[out];
        for (int i = 0; i < out; i++) {
            Rational s = b == null ? Rational.ZERO : b.rational(i);
            for (int j = 0; j < in; j++) {
                s = s.add(w.rational(i * in + j).multiply(v[j]));
            }
            y[i] = s;
        }
        v = y;
        shape = Shape.of(out);
        return null;
    }

    @Override
    public Void visit(Layer.AbRelu l) {
        Rational neg = l.neg().rational();
        Rational pos = l.pos().rational();
        Rational[] y = new Rational[v.length];
        for (int i = 0; i < v.length; i++) {
            int s = v[i].signum();
            kink |= s == 0;
            pattern.append(s > 0 ? '1' : '0');
            y[i] = v[i].multiply(s > 0 ? pos : neg);
        }
        v = y;
        return null;
    }

    @Override
    public Void visit(Layer.Identity l) {
        return null;
    }

    @Override
    public Void visit(Layer.Square l) {
        Rational[] y = new Rational[v.length];
        for (int i = 0; i < v.length; i++) {
            y[i] = v[i].multiply(v[i]);
        }
        v = y;
        return null;
    }

    @Override
    public Void visit(Layer.Smooth l) {
        throw SymbolicError.NOT_EXACT.error(l.op() + " has no exact rational values; use the float64 engine (omit --exact)");
    }

    @Override
    public Void visit(Layer.Residual l) {
        Rational[] x = v;
        Shape s = shape;
        all(l.layers());
        Rational[] body = v;
        v = x;
        shape = s;
        if (l.shortcut() != null) {
            all(l.shortcut());
        }
        Rational[] y = new Rational[body.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = body[i].add(v[i]);
        }
        v = y;
        return null;
    }

    @Override
    public Void visit(Layer.Concat l) {
        Rational[] x = v;
        Shape s = shape;
        all(l.layers());
        Rational[] y = new Rational[x.length + v.length];
        System.arraycopy(x, 0, y, 0, x.length);
        System.arraycopy(v, 0, y, x.length, v.length);
        int[] d = s.dims();
        d[0] += shape.dim(0);
        v = y;
        shape = Shape.of(d);
        return null;
    }

    @Override
    public Void visit(Layer.BatchNorm l) {
        int c = l.features();
        int per = v.length / c;
        Rational eps = l.eps().rational();
        Rational[] y = new Rational[v.length];
        for (int ch = 0; ch < c; ch++) {
            Rational var = l.var().rational(ch).add(eps);
            Rational sd = var.sqrtExact();
            if (sd == null || sd.isZero()) {
                throw SymbolicError.NOT_EXACT.error("batchnorm" + (l.name() == null ? "" : " '" + l.name() + "'") + " channel " + ch + ": √(var + eps) = √("
                        + var + ") is not a positive rational, so the exact engine cannot use it (choose var so that var + eps "
                        + "is a square, or use the float64 engine)");
            }
            Rational g = (l.weight() == null ? Rational.ONE : l.weight().rational(ch)).divide(sd);
            Rational mean = l.mean().rational(ch);
            Rational b = l.bias() == null ? Rational.ZERO : l.bias().rational(ch);
            for (int k = 0; k < per; k++) {
                int i = ch * per + k;
                y[i] = g.multiply(v[i].subtract(mean)).add(b);
            }
        }
        v = y;
        return null;
    }

    @Override
    public Void visit(Layer.Conv2d l) {
        int cin = shape.dim(0);
        int h = shape.dim(1);
        int w = shape.dim(2);
        int cout = l.outChannels();
        int kh = l.kernel().h();
        int kw = l.kernel().w();
        int sh = l.stride().h();
        int sw = l.stride().w();
        int ph = l.padding().h();
        int pw = l.padding().w();
        int oh = (h + 2 * ph - kh) / sh + 1;
        int ow = (w + 2 * pw - kw) / sw + 1;
        Tensor wt = l.weight();
        Rational[] y = new Rational[cout * oh * ow];
        for (int o = 0; o < cout; o++) {
            Rational bias = l.bias() == null ? Rational.ZERO : l.bias().rational(o);
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    Rational s = bias;
                    for (int c = 0; c < cin; c++) {
                        for (int a = 0; a < kh; a++) {
                            int r = i * sh - ph + a;
                            if (r < 0 || r >= h) {
                                continue;
                            }
                            for (int b = 0; b < kw; b++) {
                                int q = j * sw - pw + b;
                                if (q < 0 || q >= w) {
                                    continue;
                                }
                                s = s.add(wt.rational(((o * cin + c) * kh + a) * kw + b).multiply(v[(c * h + r) * w + q]));
                            }
                        }
                    }
                    y[(o * oh + i) * ow + j] = s;
                }
            }
        }
        v = y;
        shape = Shape.of(cout, oh, ow);
        return null;
    }

    private void pool(Layer.Hw k, Layer.Hw st, boolean max) {
        int c = shape.dim(0);
        int h = shape.dim(1);
        int w = shape.dim(2);
        int oh = (h - k.h()) / st.h() + 1;
        int ow = (w - k.w()) / st.w() + 1;
        Rational area = Rational.of(k.h() * (long) k.w());
        Rational[] y = new Rational[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    Rational best = null;
                    int arg = 0;
                    boolean tie = false;
                    Rational sum = Rational.ZERO;
                    for (int a = 0; a < k.h(); a++) {
                        for (int b = 0; b < k.w(); b++) {
                            Rational x = v[(ch * h + i * st.h() + a) * w + j * st.w() + b];
                            sum = sum.add(x);
                            int cmp = best == null ? 1 : x.compareTo(best);
                            if (cmp > 0) {
                                best = x;
                                arg = a * k.w() + b;
                                tie = false;
                            } else if (cmp == 0) {
                                tie = true;
                            }
                        }
                    }
                    // a tie at the maximum: on the boundary between two winners (average pooling has none)
                    kink |= max && tie;
                    y[(ch * oh + i) * ow + j] = max ? best : sum.divide(area);
                    if (max) {
                        pattern.append(Character.forDigit(arg, 36));
                    }
                }
            }
        }
        v = y;
        shape = Shape.of(c, oh, ow);
    }

    @Override
    public Void visit(Layer.MaxPool2d l) {
        pool(l.kernel(), l.stride(), true);
        return null;
    }

    @Override
    public Void visit(Layer.AvgPool2d l) {
        pool(l.kernel(), l.stride(), false);
        return null;
    }

    @Override
    public Void visit(Layer.Flatten l) {
        shape = Shape.of(v.length);
        return null;
    }
}
