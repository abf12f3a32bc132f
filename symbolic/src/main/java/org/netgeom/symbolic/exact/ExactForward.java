package org.netgeom.symbolic.exact;

import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerIndex;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
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

    /** The JSON path of the layer being evaluated, for errors. */
    private String here = "";

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
        f.all(m.layers(), "layers");
        return new Result(f.v, f.pattern.toString(), f.kink);
    }

    /** The output only. */
    public static Rational[] eval(Model m, Rational[] x) {
        return run(m, x).output();
    }

    /** Runs a list of layers whose JSON path is {@code list} ("layers", "layers[2].shortcut", ...). */
    private void all(List<Layer> ls, String list) {
        String outer = here;
        try {
            for (int i = 0; i < ls.size(); i++) {
                here = list + "[" + i + "]";
                try {
                    ls.get(i).accept(this);
                } catch (NetgeomException e) {
                    if (e.path() == null) {
                        throw e.withPathPrefix(here);                   // the layer that refused
                    }
                    throw e;
                }
            }
        } finally {
            here = outer;
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
        all(l.layers(), here + ".layers");
        Rational[] body = v;
        v = x;
        shape = s;
        if (l.shortcut() != null) {
            all(l.shortcut(), here + ".shortcut");
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
        all(l.layers(), here + ".layers");
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
        int[][][] taps = LayerIndex.convTaps(l, shape);
        Shape out = LayerIndex.convOut(l, shape);
        int per = out.dim(1) * out.dim(2);
        Tensor wt = l.weight();
        Rational[] y = new Rational[taps.length];
        for (int o = 0; o < taps.length; o++) {
            Rational s = l.bias() == null ? Rational.ZERO : l.bias().rational(o / per);
            for (int[] t : taps[o]) {
                s = s.add(wt.rational(t[1]).multiply(v[t[0]]));
            }
            y[o] = s;
        }
        v = y;
        shape = out;
        return null;
    }

    private void pool(Layer.Hw k, Layer.Hw st, boolean max) {
        int[][] win = LayerIndex.windows(k, st, shape);
        Rational area = Rational.of(k.h() * (long) k.w());
        Rational[] y = new Rational[win.length];
        for (int o = 0; o < win.length; o++) {
            Rational best = null;
            int arg = 0;
            Rational sum = Rational.ZERO;
            for (int e = 0; e < win[o].length; e++) {
                Rational x = v[win[o][e]];
                sum = sum.add(x);
                if (best == null || x.compareTo(best) > 0) {
                    best = x;
                    arg = e;
                }
            }
            if (max) {
                for (int e = 0; e < win[o].length; e++) {
                    if (e != arg && v[win[o][e]].compareTo(best) == 0) {
                        kink = true;          // a tie at the maximum: on the boundary between two winners
                    }
                }
                pattern.append(Character.forDigit(arg, 36));
            }
            y[o] = max ? best : sum.divide(area);
        }
        v = y;
        shape = LayerIndex.poolOut(k, st, shape);
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
