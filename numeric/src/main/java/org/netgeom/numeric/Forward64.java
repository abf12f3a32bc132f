package org.netgeom.numeric;

import org.netgeom.ir.Binder;
import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerIndex;
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
        int[][][] taps = LayerIndex.convTaps(l, shape);
        Shape out = LayerIndex.convOut(l, shape);
        int per = out.dim(1) * out.dim(2);
        double[] wt = d(l.weight());
        double[] bias = d(l.bias());
        double[] y = new double[taps.length];
        for (int o = 0; o < taps.length; o++) {
            double s = 0;
            for (int[] t : taps[o]) {
                s += wt[t[1]] * v[t[0]];
            }
            y[o] = s + (bias == null ? 0 : bias[o / per]);
        }
        v = y;
        shape = out;
        return null;
    }

    private void pool(Layer.Hw k, Layer.Hw st, boolean max) {
        int[][] win = LayerIndex.windows(k, st, shape);
        double[] y = new double[win.length];
        for (int o = 0; o < win.length; o++) {
            double best = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int xi : win[o]) {
                sum += v[xi];
                best = Math.max(best, v[xi]);
            }
            y[o] = max ? best : sum / win[o].length;
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
