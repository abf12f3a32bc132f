package org.netgeom.numeric;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Binder;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.interp.Domain;
import org.netgeom.ir.interp.Interpreter;
import org.netgeom.ir.interp.Linear;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A plain float64 forward pass of one input through every IR op, written for clarity (the
 * reference the faster engines are tested against). Weights are taken as the nearest doubles
 * of their exact values; free symbols must be bound first. A {@link Domain} of the
 * {@link Interpreter}: the doubles.
 */
public final class Forward64 implements Domain<double[]> {
    private final Map<Object, double[]> cache = new IdentityHashMap<>();

    private Forward64() {
    }

    /** f(x) in float64; x is the input flattened row-major. */
    public static double[] eval(Model m, double[] x) {
        if (x.length != m.input().size()) {
            throw IrError.BAD_INPUT.error("the model takes " + m.input().size() + " input values (shape " + m.input()
                    + "), " + x.length + " were given");
        }
        Binder.requireNoSymbols(m);
        return Interpreter.of(m).run(new Forward64(), x.clone());
    }

    private double[] d(org.netgeom.ir.Tensor t) {
        return t == null ? null : cache.computeIfAbsent(t, k -> t.nearestDoubles());
    }

    @Override
    public int size(double[] x) {
        return x.length;
    }

    @Override
    public double[] linear(Linear a, double[] v) {
        double[] y = new double[a.out()];
        boolean avg = a instanceof Linear.OfAvgPool;
        for (int o = 0; o < y.length; o++) {
            int[] cols = a.cols(o);
            double s = 0;
            if (avg) {
                for (int c : cols) {
                    s += v[c];
                }
                y[o] = s / cols.length;                    // sum, then divide: as torch's avg_pool2d
                continue;
            }
            for (int k = 0; k < cols.length; k++) {
                s += a.weightDouble(o, k) * v[cols[k]];
            }
            y[o] = s + a.biasDouble(o);
        }
        return y;
    }

    @Override
    public double[] twoSlope(Layer.AbRelu l, double[] v) {
        double neg = l.neg().rational().doubleValue();
        double pos = l.pos().rational().doubleValue();
        double[] y = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            y[i] = v[i] > 0 ? pos * v[i] : neg * v[i];
        }
        return y;
    }

    @Override
    public double[] clamp(Layer.HardTanh l, double[] v) {
        double lo = l.min().doubleValue();
        double hi = l.max().doubleValue();
        double[] y = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            y[i] = v[i] < lo ? lo : v[i] > hi ? hi : v[i];
        }
        return y;
    }

    @Override
    public double[] square(Layer.Square l, double[] v) {
        double[] y = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            y[i] = v[i] * v[i];
        }
        return y;
    }

    @Override
    public double[] smooth(Layer.Smooth l, double[] v) {
        double[] y = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            y[i] = Activations.value(l.fn(), v[i]);
        }
        return y;
    }

    @Override
    public double[] normalise(Layer.BatchNorm l, int per, double[] v) {
        double[] mean = d(l.mean());
        double[] var = d(l.var());
        double[] w = d(l.weight());
        double[] b = d(l.bias());
        double eps = l.eps().rational().doubleValue();
        double[] y = new double[v.length];
        for (int ch = 0; ch < l.features(); ch++) {
            double inv = 1 / Math.sqrt(var[ch] + eps);
            for (int k = 0; k < per; k++) {
                int i = ch * per + k;
                y[i] = (v[i] - mean[ch]) * inv * (w == null ? 1 : w[ch]) + (b == null ? 0 : b[ch]);
            }
        }
        return y;
    }

    @Override
    public double[] windowMax(Layer l, int[][] win, double[] v) {
        double[] y = new double[win.length];
        for (int o = 0; o < win.length; o++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int xi : win[o]) {
                best = Math.max(best, v[xi]);
            }
            y[o] = best;
        }
        return y;
    }

    @Override
    public double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }

    @Override
    public double[] concat(double[] a, double[] b) {
        double[] y = new double[a.length + b.length];
        System.arraycopy(a, 0, y, 0, a.length);
        System.arraycopy(b, 0, y, a.length, b.length);
        return y;
    }
}
