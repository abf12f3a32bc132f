package org.netgeom.numeric.engine;

import org.netgeom.ir.Layer;
import org.netgeom.numeric.Activations;
import org.netgeom.numeric.linalg.Elementwise;

/**
 * An elementwise activation y = f(x): the relu family ({@code pos·x if x > 0 else neg·x}),
 * square, identity or a smooth function. Backward dx = f'(x) dy; tangents R{y} = f'(x) R{x},
 * R{dx} = f'(x) R{dy} + f''(x) R{x} dy. At x = 0 the relu family's derivative is PyTorch's:
 * 0 for relu and abs, the negative slope for leaky_relu and abrelu. hardtanh clamps to
 * [min, max] (neg, pos hold min, max) with derivative 1 strictly inside, 0 elsewhere, the kinks
 * included (PyTorch's hardtanh_backward).
 */
final class ActOp extends Op {
    enum Kind { ABRELU, SQUARE, SMOOTH, HARDTANH }

    private final Kind kind;
    private final double neg;
    private final double pos;
    private final double atZero;
    private final Layer.Smooth.Fn fn;
    private Dual x;

    private ActOp(String path, int size, Kind kind, double neg, double pos, double atZero, Layer.Smooth.Fn fn) {
        super(path, size, size);
        this.kind = kind;
        this.neg = neg;
        this.pos = pos;
        this.atZero = atZero;
        this.fn = fn;
    }

    static ActOp abrelu(String path, int size, Layer.AbRelu l) {
        double neg = l.neg().rational().doubleValue();
        double pos = l.pos().rational().doubleValue();
        return new ActOp(path, size, Kind.ABRELU, neg, pos, Layer.AbRelu.slopeAtZero(l.op(), neg, 0.0), null);
    }

    static ActOp hardtanh(String path, int size, Layer.HardTanh l) {
        return new ActOp(path, size, Kind.HARDTANH, l.min().doubleValue(), l.max().doubleValue(), 0, null);
    }

    static ActOp square(String path, int size) {
        return new ActOp(path, size, Kind.SQUARE, 0, 0, 0, null);
    }

    static ActOp smooth(String path, int size, Layer.Smooth.Fn fn) {
        return new ActOp(path, size, Kind.SMOOTH, 0, 0, 0, fn);
    }

    private double f(double v) {
        return switch (kind) {
            case ABRELU -> v > 0 ? pos * v : (neg == 0 ? 0.0 : neg * v);
            case SQUARE -> v * v;
            case SMOOTH -> Activations.value(fn, v);
            case HARDTANH -> v < neg ? neg : v > pos ? pos : v;
        };
    }

    private double d1(double v) {
        return switch (kind) {
            case ABRELU -> v > 0 ? pos : v < 0 ? neg : atZero;
            case SQUARE -> 2 * v;
            case SMOOTH -> Activations.derivative(fn, v);
            case HARDTANH -> Layer.HardTanh.passes(v, neg, pos) ? 1 : 0;
        };
    }

    private double d2(double v) {
        return switch (kind) {
            case ABRELU, HARDTANH -> 0;
            case SQUARE -> 2;
            case SMOOTH -> Activations.second(fn, v);
        };
    }

    @Override
    Dual forward(Pass p, Dual xin) {
        x = xin;
        double[] xv = xin.v();
        double[] y = new double[xv.length];
        if (kind == Kind.ABRELU) {
            relu(xv, y);
        } else {
            for (int i = 0; i < y.length; i++) {
                y[i] = f(xv[i]);
            }
        }
        double[] t = null;
        if (xin.t() != null) {
            double[] tx = xin.t();
            t = new double[y.length];
            if (kind == Kind.ABRELU) {
                reluGrad(xv, tx, t);
            } else {
                for (int i = 0; i < t.length; i++) {
                    t[i] = d1(xv[i]) * tx[i];
                }
            }
        }
        return p.round(new Dual(y, t));
    }

    @Override
    Dual backward(Pass p, Dual gy, boolean needInput) {
        if (!needInput) {
            return null;
        }
        double[] xv = x.v();
        double[] g = gy.v();
        double[] gx = new double[g.length];
        if (kind == Kind.ABRELU) {
            reluGrad(xv, g, gx);
        } else {
            for (int i = 0; i < gx.length; i++) {
                gx[i] = d1(xv[i]) * g[i];
            }
        }
        double[] tg = null;
        if (gy.t() != null || (x.t() != null && kind != Kind.ABRELU)) {
            tg = new double[g.length];
            if (gy.t() != null) {
                double[] r = gy.t();
                if (kind == Kind.ABRELU) {
                    reluGrad(xv, r, tg);
                } else {
                    for (int i = 0; i < tg.length; i++) {
                        tg[i] = d1(xv[i]) * r[i];
                    }
                }
            }
            if (x.t() != null && kind != Kind.ABRELU) {
                double[] tx = x.t();
                for (int i = 0; i < tg.length; i++) {
                    tg[i] += d2(xv[i]) * tx[i] * g[i];
                }
            }
        }
        return p.round(new Dual(gx, tg));
    }

    private void relu(double[] xv, double[] y) {
        Elementwise.get().forward(xv, y, neg, pos);
    }

    private void reluGrad(double[] xv, double[] g, double[] gx) {
        Elementwise.get().gradient(xv, g, gx, neg, pos, atZero);
    }

    @Override
    void clear() {
        x = null;
    }
}
