package org.netgeom.numeric.engine;

/**
 * torch.nn.MaxPool2d / AvgPool2d (no padding, floor mode) on {@code [C, H, W]} examples. Max
 * pooling keeps, per window, the index of its first maximum (a strict {@code >} scan in row-major
 * window order, as PyTorch's CPU kernel), and routes gradients and tangents through it; average
 * pooling is linear.
 */
final class PoolOp extends Op {
    private final boolean max;
    private final int c;
    private final int h;
    private final int w;
    private final int kh;
    private final int kw;
    private final int sh;
    private final int sw;
    private final int oh;
    private final int ow;
    private int[] arg;

    PoolOp(String path, int[] in, int kh, int kw, int sh, int sw, boolean max) {
        super(path, in[0] * in[1] * in[2], in[0] * ((in[1] - kh) / sh + 1) * ((in[2] - kw) / sw + 1));
        this.max = max;
        this.c = in[0];
        this.h = in[1];
        this.w = in[2];
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
        this.oh = (h - kh) / sh + 1;
        this.ow = (w - kw) / sw + 1;
    }

    @Override
    Dual forward(Pass p, Dual x) {
        int n = p.n;
        double[] xv = x.v();
        double[] y = new double[n * outSize];
        double[] t = x.t() == null ? null : new double[n * outSize];
        if (max) {
            arg = new int[n * outSize];
        }
        double div = kh * kw;
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                int base = s * inSize + ch * h * w;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int o = s * outSize + (ch * oh + i) * ow + j;
                        if (max) {
                            int best = base + (i * sh) * w + j * sw;
                            double bv = Double.NEGATIVE_INFINITY;
                            for (int a = 0; a < kh; a++) {
                                for (int b = 0; b < kw; b++) {
                                    int idx = base + (i * sh + a) * w + j * sw + b;
                                    if (xv[idx] > bv || Double.isNaN(xv[idx])) {
                                        bv = xv[idx];
                                        best = idx;
                                        if (Double.isNaN(bv)) {
                                            a = kh;
                                            break;
                                        }
                                    }
                                }
                            }
                            arg[o] = best;
                            y[o] = xv[best];
                            if (t != null) {
                                t[o] = x.t()[best];
                            }
                        } else {
                            double sum = 0;
                            double ts = 0;
                            for (int a = 0; a < kh; a++) {
                                for (int b = 0; b < kw; b++) {
                                    int idx = base + (i * sh + a) * w + j * sw + b;
                                    sum += xv[idx];
                                    if (t != null) {
                                        ts += x.t()[idx];
                                    }
                                }
                            }
                            y[o] = sum / div;
                            if (t != null) {
                                t[o] = ts / div;
                            }
                        }
                    }
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
        int n = p.n;
        double[] gx = scatter(n, gy.v());
        double[] tg = gy.t() == null ? null : scatter(n, gy.t());
        return p.round(new Dual(gx, tg));
    }

    private double[] scatter(int n, double[] g) {
        double[] gx = new double[n * inSize];
        double div = kh * kw;
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                int base = s * inSize + ch * h * w;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int o = s * outSize + (ch * oh + i) * ow + j;
                        if (max) {
                            gx[arg[o]] += g[o];
                        } else {
                            double v = g[o] / div;
                            for (int a = 0; a < kh; a++) {
                                for (int b = 0; b < kw; b++) {
                                    gx[base + (i * sh + a) * w + j * sw + b] += v;
                                }
                            }
                        }
                    }
                }
            }
        }
        return gx;
    }

    @Override
    void clear() {
        arg = null;
    }
}
