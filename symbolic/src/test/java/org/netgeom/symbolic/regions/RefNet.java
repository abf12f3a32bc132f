package org.netgeom.symbolic.regions;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * TEST REFERENCE, independent of the engine: propagates the network's affine maps in plain
 * {@link Rational} matrices under one FIXED activation pattern, collecting the pattern's strict
 * inequalities (each a row [a_1..a_k, c] meaning a·u + c &gt; 0) and the output map. Written
 * directly from the op definitions (IR.md), without the engine's compiler, buffers or forms.
 */
final class RefNet {
    /** The inequalities and output map of a pattern; {@code feasible} false when a unit contradicts itself. */
    record Result(boolean feasible, List<Rational[]> inequalities, Rational[][] output, boolean degenerate) {
    }

    private final List<Rational[]> ineq = new ArrayList<>();
    private final String pattern;
    private int pos;
    private boolean ok = true;
    private boolean degenerate;     // a unit identically zero, or identical entries in a max-pooling window
    private final List<Integer> options;   // when counting units: options per unit

    private RefNet(String pattern, List<Integer> options) {
        this.pattern = pattern;
        this.options = options;
    }

    /** The options of every unit, in evaluation order (2 for sign units, the window size for max pooling). */
    static List<Integer> unitOptions(Model m) {
        List<Integer> out = new ArrayList<>();
        RefNet r = new RefNet(null, out);
        r.run(m.layers(), identity(m.input().size(), 1), m.input());
        return out;
    }

    /** The pattern's inequalities and output map, for inputs u ↦ input map (rows [A | b]). */
    static Result under(Model m, String pattern, Rational[][] inputMap) {
        RefNet r = new RefNet(pattern, null);
        Rational[][] out = r.run(m.layers(), inputMap, m.input());
        if (r.pos != pattern.length()) {
            throw new IllegalArgumentException("pattern length " + pattern.length() + ", units " + r.pos);
        }
        return new Result(r.ok, r.ineq, out, r.degenerate);
    }

    static Rational[][] identity(int n, int k) {
        Rational[][] a = new Rational[n][n + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= n; j++) {
                a[i][j] = i == j ? Rational.ONE : Rational.ZERO;
            }
        }
        return a;
    }

    private Shape shape;

    private Rational[][] run(List<Layer> layers, Rational[][] x, Shape s) {
        shape = s;
        for (Layer l : layers) {
            x = layer(l, x);
        }
        return x;
    }

    private static Rational[] zero(int w) {
        Rational[] r = new Rational[w];
        java.util.Arrays.fill(r, Rational.ZERO);
        return r;
    }

    private static Rational[] axpy(Rational[] acc, Rational a, Rational[] x) {
        for (int c = 0; c < acc.length; c++) {
            acc[c] = acc[c].add(a.multiply(x[c]));
        }
        return acc;
    }

    private static boolean isZero(Rational[] r) {
        for (Rational q : r) {
            if (!q.isZero()) {
                return false;
            }
        }
        return true;
    }

    private static Rational[] minus(Rational[] a, Rational[] b) {
        Rational[] r = new Rational[a.length];
        for (int c = 0; c < a.length; c++) {
            r[c] = a[c].subtract(b[c]);
        }
        return r;
    }

    private Rational[][] layer(Layer l, Rational[][] x) {
        int w = x[0].length;
        if (l instanceof Layer.Dense d) {
            Rational[][] y = new Rational[d.out()][];
            for (int i = 0; i < d.out(); i++) {
                Rational[] acc = zero(w);
                for (int j = 0; j < d.in(); j++) {
                    axpy(acc, d.weight().rational(i * d.in() + j), x[j]);
                }
                if (d.bias() != null) {
                    acc[w - 1] = acc[w - 1].add(d.bias().rational(i));
                }
                y[i] = acc;
            }
            shape = Shape.of(d.out());
            return y;
        }
        if (l instanceof Layer.AbRelu a) {
            Rational[][] y = new Rational[x.length][];
            for (int i = 0; i < x.length; i++) {
                if (options != null) {
                    options.add(2);
                    y[i] = x[i];
                    continue;
                }
                char c = pattern.charAt(pos++);
                boolean on = c == '1';
                if (isZero(x[i])) {
                    degenerate = true;
                    ok &= !on;                       // identically zero: '0' without a constraint
                } else {
                    Rational[] g = x[i].clone();
                    if (!on) {
                        for (int q = 0; q < w; q++) {
                            g[q] = g[q].negate();
                        }
                    }
                    ineq.add(g);
                }
                Rational slope = (on ? a.pos() : a.neg()).rational();
                y[i] = axpy(zero(w), slope, x[i]);
            }
            return y;
        }
        if (l instanceof Layer.HardTanh h) {
            // from the definition min(max(z, min), max): two characters per unit, a = [z > min],
            // b = [z > max]; the value is min (a = 0), z (a = 1, b = 0) or max (b = 1); every
            // combination, "01" included, is left to the LP
            Rational[][] y = new Rational[x.length][];
            for (int i = 0; i < x.length; i++) {
                if (options != null) {
                    options.add(2);
                    options.add(2);
                    y[i] = x[i];
                    continue;
                }
                boolean a = pattern.charAt(pos++) == '1';
                boolean b = pattern.charAt(pos++) == '1';
                for (int side = 0; side < 2; side++) {
                    Rational t = side == 0 ? h.min() : h.max();
                    boolean on = side == 0 ? a : b;
                    Rational[] g = x[i].clone();
                    g[w - 1] = g[w - 1].subtract(t);
                    if (isZero(g)) {
                        degenerate = true;
                        ok &= !on;
                    } else {
                        if (!on) {
                            for (int q = 0; q < w; q++) {
                                g[q] = g[q].negate();
                            }
                        }
                        ineq.add(g);
                    }
                }
                if (!a || b) {
                    y[i] = zero(w);
                    y[i][w - 1] = b ? h.max() : h.min();
                } else {
                    y[i] = x[i];
                }
            }
            return y;
        }
        if (l instanceof Layer.Maxout mo) {
            // from the definition: output i is the max of x[i·k .. i·k + k − 1], one argmax unit each,
            // the first maximum winning identical entries
            int k = mo.k();
            Rational[][] y = new Rational[x.length / k][];
            for (int o = 0; o < y.length; o++) {
                if (options != null) {
                    options.add(k);
                    y[o] = x[o * k];
                    continue;
                }
                int jw = Character.digit(pattern.charAt(pos++), 36);
                for (int q = 0; q < k; q++) {
                    if (q != jw) {
                        Rational[] g = minus(x[o * k + jw], x[o * k + q]);
                        if (isZero(g)) {
                            degenerate = true;
                            ok &= q > jw;
                        } else {
                            ineq.add(g);
                        }
                    }
                }
                y[o] = x[o * k + jw];
            }
            shape = Shape.of(y.length);
            return y;
        }
        if (l instanceof Layer.Identity || l instanceof Layer.Flatten) {
            if (l instanceof Layer.Flatten) {
                shape = Shape.of(shape.size());
            }
            return x;
        }
        if (l instanceof Layer.Residual r) {
            Shape s = shape;
            Rational[][] body = x;
            for (Layer b : r.layers()) {
                body = layer(b, body);
            }
            Shape out = shape;
            shape = s;
            Rational[][] sc = x;
            if (r.shortcut() != null) {
                for (Layer b : r.shortcut()) {
                    sc = layer(b, sc);
                }
            }
            Rational[][] y = new Rational[body.length][];
            for (int i = 0; i < y.length; i++) {
                y[i] = axpy(body[i].clone(), Rational.ONE, sc[i]);
            }
            shape = out;
            return y;
        }
        if (l instanceof Layer.Concat c) {
            Shape s = shape;
            Rational[][] body = x;
            for (Layer b : c.layers()) {
                body = layer(b, body);
            }
            int[] dims = s.dims();
            dims[0] += shape.dim(0);
            shape = Shape.of(dims);
            Rational[][] y = new Rational[x.length + body.length][];
            System.arraycopy(x, 0, y, 0, x.length);
            System.arraycopy(body, 0, y, x.length, body.length);
            return y;
        }
        if (l instanceof Layer.BatchNorm b) {
            int ch = b.features();
            int per = x.length / ch;
            Rational[][] y = new Rational[x.length][];
            for (int c = 0; c < ch; c++) {
                Rational sd = b.var().rational(c).add(b.eps().rational()).sqrtExact();
                Rational g = (b.weight() == null ? Rational.ONE : b.weight().rational(c)).divide(sd);
                Rational beta = b.bias() == null ? Rational.ZERO : b.bias().rational(c);
                for (int q = 0; q < per; q++) {
                    int i = c * per + q;
                    Rational[] r = axpy(zero(w), g, x[i]);
                    r[w - 1] = r[w - 1].subtract(g.multiply(b.mean().rational(c))).add(beta);
                    y[i] = r;
                }
            }
            return y;
        }
        if (l instanceof Layer.Conv2d cv) {
            int cin = shape.dim(0);
            int h = shape.dim(1);
            int wd = shape.dim(2);
            int kh = cv.kernel().h();
            int kw = cv.kernel().w();
            int oh = (h + 2 * cv.padding().h() - kh) / cv.stride().h() + 1;
            int ow = (wd + 2 * cv.padding().w() - kw) / cv.stride().w() + 1;
            Tensor wt = cv.weight();
            Rational[][] y = new Rational[cv.outChannels() * oh * ow][];
            for (int o = 0; o < cv.outChannels(); o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        Rational[] acc = zero(w);
                        acc[w - 1] = cv.bias() == null ? Rational.ZERO : cv.bias().rational(o);
                        for (int c = 0; c < cin; c++) {
                            for (int a = 0; a < kh; a++) {
                                for (int bb = 0; bb < kw; bb++) {
                                    int r = i * cv.stride().h() - cv.padding().h() + a;
                                    int q = j * cv.stride().w() - cv.padding().w() + bb;
                                    if (r >= 0 && r < h && q >= 0 && q < wd) {
                                        axpy(acc, wt.get(o, c, a, bb).rational(), x[(c * h + r) * wd + q]);
                                    }
                                }
                            }
                        }
                        y[(o * oh + i) * ow + j] = acc;
                    }
                }
            }
            shape = Shape.of(cv.outChannels(), oh, ow);
            return y;
        }
        if (l instanceof Layer.MaxPool2d || l instanceof Layer.AvgPool2d) {
            boolean max = l instanceof Layer.MaxPool2d;
            Layer.Hw k = max ? ((Layer.MaxPool2d) l).kernel() : ((Layer.AvgPool2d) l).kernel();
            Layer.Hw st = max ? ((Layer.MaxPool2d) l).stride() : ((Layer.AvgPool2d) l).stride();
            int c = shape.dim(0);
            int h = shape.dim(1);
            int wd = shape.dim(2);
            int oh = (h - k.h()) / st.h() + 1;
            int ow = (wd - k.w()) / st.w() + 1;
            Rational[][] y = new Rational[c * oh * ow][];
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        List<Rational[]> win = new ArrayList<>();
                        for (int a = 0; a < k.h(); a++) {
                            for (int b = 0; b < k.w(); b++) {
                                win.add(x[(ch * h + i * st.h() + a) * wd + j * st.w() + b]);
                            }
                        }
                        int o = (ch * oh + i) * ow + j;
                        if (!max) {
                            Rational[] acc = zero(w);
                            for (Rational[] e : win) {
                                axpy(acc, Rational.of(1, win.size()), e);
                            }
                            y[o] = acc;
                        } else if (options != null) {
                            options.add(win.size());
                            y[o] = win.get(0);
                        } else {
                            int jw = Character.digit(pattern.charAt(pos++), 36);
                            for (int q = 0; q < win.size(); q++) {
                                if (q == jw) {
                                    continue;
                                }
                                Rational[] g = minus(win.get(jw), win.get(q));
                                if (isZero(g)) {
                                    degenerate = true;
                                    ok &= q > jw;            // identical entries: the first index wins
                                } else {
                                    ineq.add(g);
                                }
                            }
                            y[o] = win.get(jw);
                        }
                    }
                }
            }
            shape = Shape.of(c, oh, ow);
            return y;
        }
        throw new IllegalArgumentException("reference has no op " + l.op());
    }
}
