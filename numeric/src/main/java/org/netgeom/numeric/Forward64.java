package org.netgeom.numeric;

import org.netgeom.ir.Binder;
import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Model;
import org.netgeom.ir.Shape;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain float64 forward pass of one input through every IR op, written for clarity (the
 * reference the faster engines are tested against). Weights are taken as the nearest doubles
 * of their exact values; free symbols must be bound first.
 */
public final class Forward64 implements LayerVisitor<Void> {
    private final Map<Object, double[]> cache;
    private double[] v;
    private Shape shape;

    private Forward64(double[] x, Shape s, Map<Object, double[]> cache) {
        this.v = x;
        this.shape = s;
        this.cache = cache;
    }

    /** f(x) in float64; x is the input flattened row-major. */
    public static double[] eval(Model m, double[] x) {
        if (x.length != m.input().size()) {
            throw NumericError.BAD_INPUT.error("the model takes " + m.input().size() + " input values (shape " + m.input()
                    + "), " + x.length + " were given");
        }
        Binder.requireNoSymbols(m);
        Forward64 f = new Forward64(x.clone(), m.input(), new IdentityHashMap<>());
        f.all(m.layers());
        return f.v;
    }

    private double[] d(org.netgeom.ir.Tensor t) {
        return t == null ? null : cache.computeIfAbsent(t, k -> t.nearestDoubles());
    }

    private void all(List<Layer> ls) {
        for (Layer l : ls) {
            l.accept(this);
        }
    }

    @Override
    public Void visit(Layer.Dense l) {
        double[] w = d(l.weight());
        double[] b = d(l.bias());
        int out = l.out();
        int in = l.in();
        double[] y = new double[out];
        for (int i = 0; i < out; i++) {
            double s = 0;
            for (int j = 0; j < in; j++) {
                s += w[i * in + j] * v[j];
            }
            y[i] = s + (b == null ? 0 : b[i]);
        }
        v = y;
        shape = Shape.of(out);
        return null;
    }

    @Override
    public Void visit(Layer.AbRelu l) {
        double neg = l.neg().rational().doubleValue();
        double pos = l.pos().rational().doubleValue();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] > 0 ? pos * v[i] : neg * v[i];
        }
        return null;
    }

    @Override
    public Void visit(Layer.Identity l) {
        return null;
    }

    @Override
    public Void visit(Layer.Square l) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= v[i];
        }
        return null;
    }

    @Override
    public Void visit(Layer.Smooth l) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Activations.value(l.fn(), v[i]);
        }
        return null;
    }

    @Override
    public Void visit(Layer.Residual l) {
        double[] x = v.clone();
        Shape s = shape;
        all(l.layers());
        double[] body = v;
        v = x;
        shape = s;
        if (l.shortcut() != null) {
            all(l.shortcut());
        }
        for (int i = 0; i < body.length; i++) {
            body[i] += v[i];
        }
        v = body;
        return null;
    }

    @Override
    public Void visit(Layer.Concat l) {
        double[] x = v.clone();
        Shape s = shape;
        all(l.layers());
        double[] y = new double[x.length + v.length];
        System.arraycopy(x, 0, y, 0, x.length);
        System.arraycopy(v, 0, y, x.length, v.length);
        int[] dims = s.dims();
        dims[0] += shape.dim(0);
        v = y;
        shape = Shape.of(dims);
        return null;
    }

    @Override
    public Void visit(Layer.BatchNorm l) {
        int c = l.features();
        int per = v.length / c;
        double[] mean = d(l.mean());
        double[] var = d(l.var());
        double[] w = d(l.weight());
        double[] b = d(l.bias());
        double eps = l.eps().rational().doubleValue();
        for (int ch = 0; ch < c; ch++) {
            double inv = 1 / Math.sqrt(var[ch] + eps);
            for (int k = 0; k < per; k++) {
                int i = ch * per + k;
                v[i] = (v[i] - mean[ch]) * inv * (w == null ? 1 : w[ch]) + (b == null ? 0 : b[ch]);
            }
        }
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
        double[] wt = d(l.weight());
        double[] bias = d(l.bias());
        double[] y = new double[cout * oh * ow];
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double s = 0;
                    for (int c = 0; c < cin; c++) {
                        for (int a = 0; a < kh; a++) {
                            int r = i * sh - ph + a;
                            if (r < 0 || r >= h) {
                                continue;
                            }
                            for (int b = 0; b < kw; b++) {
                                int q = j * sw - pw + b;
                                if (q >= 0 && q < w) {
                                    s += wt[((o * cin + c) * kh + a) * kw + b] * v[(c * h + r) * w + q];
                                }
                            }
                        }
                    }
                    y[(o * oh + i) * ow + j] = s + (bias == null ? 0 : bias[o]);
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
        double[] y = new double[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double best = Double.NEGATIVE_INFINITY;
                    double sum = 0;
                    for (int a = 0; a < k.h(); a++) {
                        for (int b = 0; b < k.w(); b++) {
                            double x = v[(ch * h + i * st.h() + a) * w + j * st.w() + b];
                            sum += x;
                            if (x > best) {
                                best = x;
                            }
                        }
                    }
                    y[(ch * oh + i) * ow + j] = max ? best : sum / (k.h() * k.w());
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
