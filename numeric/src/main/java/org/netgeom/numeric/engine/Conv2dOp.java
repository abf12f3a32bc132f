package org.netgeom.numeric.engine;

import java.util.Arrays;

/**
 * torch.nn.Conv2d (zero padding, no dilation or groups) on {@code [C, H, W]} examples by im2col:
 * per example, cols = im2col(x) {@code [cin·kh·kw][oh·ow]} and y = W·cols + b, so dW = Σ dy·colsᵀ
 * and dx = col2im(Wᵀ·dy); tangents as for dense layers, R{y} = W·cols(R{x}) + V·cols(x) + v_b.
 */
final class Conv2dOp extends Op {
    private final int cin;
    private final int h;
    private final int wd;
    private final int cout;
    private final int kh;
    private final int kw;
    private final int sh;
    private final int sw;
    private final int ph;
    private final int pw;
    private final int oh;
    private final int ow;
    private final int k;
    private final int l;
    private final int w;
    private final int b;
    private Dual x;

    Conv2dOp(String path, int[] in, int cout, int kh, int kw, int sh, int sw, int ph, int pw, int w, int b) {
        super(path, in[0] * in[1] * in[2], cout * ((in[1] + 2 * ph - kh) / sh + 1) * ((in[2] + 2 * pw - kw) / sw + 1));
        this.cin = in[0];
        this.h = in[1];
        this.wd = in[2];
        this.cout = cout;
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
        this.ph = ph;
        this.pw = pw;
        this.oh = (h + 2 * ph - kh) / sh + 1;
        this.ow = (wd + 2 * pw - kw) / sw + 1;
        this.k = cin * kh * kw;
        this.l = oh * ow;
        this.w = w;
        this.b = b;
    }

    private void im2col(double[] src, int off, double[] cols) {
        for (int c = 0; c < cin; c++) {
            for (int a = 0; a < kh; a++) {
                for (int bb = 0; bb < kw; bb++) {
                    int row = ((c * kh + a) * kw + bb) * l;
                    for (int i = 0; i < oh; i++) {
                        int r = i * sh - ph + a;
                        for (int j = 0; j < ow; j++) {
                            int q = j * sw - pw + bb;
                            cols[row + i * ow + j] = r >= 0 && r < h && q >= 0 && q < wd ? src[off + (c * h + r) * wd + q] : 0;
                        }
                    }
                }
            }
        }
    }

    private void col2im(double[] cols, double[] dst, int off) {
        for (int c = 0; c < cin; c++) {
            for (int a = 0; a < kh; a++) {
                for (int bb = 0; bb < kw; bb++) {
                    int row = ((c * kh + a) * kw + bb) * l;
                    for (int i = 0; i < oh; i++) {
                        int r = i * sh - ph + a;
                        if (r < 0 || r >= h) {
                            continue;
                        }
                        for (int j = 0; j < ow; j++) {
                            int q = j * sw - pw + bb;
                            if (q >= 0 && q < wd) {
                                dst[off + (c * h + r) * wd + q] += cols[row + i * ow + j];
                            }
                        }
                    }
                }
            }
        }
    }

    private void bias(double[] src, double[] y, int off) {
        if (b < 0) {
            return;
        }
        for (int o = 0; o < cout; o++) {
            double v = src[b + o];
            for (int i = 0; i < l; i++) {
                y[off + o * l + i] += v;
            }
        }
    }

    @Override
    Dual forward(Pass p, Dual xin) {
        x = xin;
        int n = p.n;
        double[] y = new double[n * outSize];
        double[] t = p.tangents() ? new double[n * outSize] : null;
        double[] cols = new double[k * l];
        double[] tcols = xin.t() != null ? new double[k * l] : null;
        for (int s = 0; s < n; s++) {
            int yo = s * outSize;
            im2col(xin.v(), s * inSize, cols);
            p.gemm.mul(false, false, cout, l, k, p.params, w, cols, 0, y, yo, false);
            bias(p.params, y, yo);
            if (t != null) {
                if (tcols != null) {
                    im2col(xin.t(), s * inSize, tcols);
                    p.gemm.mul(false, false, cout, l, k, p.params, w, tcols, 0, t, yo, false);
                }
                p.gemm.mul(false, false, cout, l, k, p.dir, w, cols, 0, t, yo, true);
                bias(p.dir, t, yo);
            }
        }
        return p.round(new Dual(y, t));
    }

    private void biasGrad(double[] g, int off, double[] dst, int at) {
        if (b < 0) {
            return;
        }
        for (int o = 0; o < cout; o++) {
            double s = 0;
            for (int i = 0; i < l; i++) {
                s += g[off + o * l + i];
            }
            dst[at + b + o] += s;
        }
    }

    @Override
    Dual backward(Pass p, Dual gy, boolean needInput) {
        int n = p.n;
        double[] g = gy.v();
        double[] rg = gy.t();
        double[] cols = new double[k * l];
        double[] tcols = x.t() != null && p.hv != null ? new double[k * l] : null;
        double[] dcols = needInput ? new double[k * l] : null;
        double[] gx = needInput ? new double[n * inSize] : null;
        double[] tgx = needInput && p.tangents() ? new double[n * inSize] : null;
        for (int s = 0; s < n; s++) {
            int go = s * outSize;
            im2col(x.v(), s * inSize, cols);
            if (p.perRow != null) {
                int base = s * p.paramCount;
                p.gemm.mul(false, true, cout, k, l, g, go, cols, 0, p.perRow, base + w, false);
                if (b >= 0) {
                    Arrays.fill(p.perRow, base + b, base + b + cout, 0.0);
                }
                biasGrad(g, go, p.perRow, base);
            } else if (p.grad != null) {
                p.gemm.mul(false, true, cout, k, l, g, go, cols, 0, p.grad, w, true);
                biasGrad(g, go, p.grad, 0);
            }
            if (p.hv != null) {
                if (rg != null) {
                    p.gemm.mul(false, true, cout, k, l, rg, go, cols, 0, p.hv, w, true);
                    biasGrad(rg, go, p.hv, 0);
                }
                if (tcols != null) {
                    im2col(x.t(), s * inSize, tcols);
                    p.gemm.mul(false, true, cout, k, l, g, go, tcols, 0, p.hv, w, true);
                }
            }
            if (needInput) {
                p.gemm.mul(true, false, k, l, cout, p.params, w, g, go, dcols, 0, false);
                col2im(dcols, gx, s * inSize);
                if (tgx != null) {
                    if (rg != null) {
                        p.gemm.mul(true, false, k, l, cout, p.params, w, rg, go, dcols, 0, false);
                        p.gemm.mul(true, false, k, l, cout, p.dir, w, g, go, dcols, 0, true);
                    } else {
                        p.gemm.mul(true, false, k, l, cout, p.dir, w, g, go, dcols, 0, false);
                    }
                    col2im(dcols, tgx, s * inSize);
                }
            }
        }
        return needInput ? p.round(new Dual(gx, tgx)) : null;
    }

    @Override
    void clear() {
        x = null;
    }
}
