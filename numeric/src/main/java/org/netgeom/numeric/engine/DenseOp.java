package org.netgeom.numeric.engine;

/**
 * {@code y = x Wᵀ + b} on a batch (W {@code [out][in]} at {@code w}, b at {@code b} or absent).
 * Backward: dx = dy W, dW = dyᵀ x, db = Σ_rows dy. Tangents (direction V, v_b):
 * R{y} = R{x} Wᵀ + x Vᵀ + v_b; R{dx} = R{dy} W + dy V; R{dW} = R{dy}ᵀ x + dyᵀ R{x}.
 */
final class DenseOp extends Op {
    private final int in;
    private final int out;
    private final int w;
    private final int b;
    private Dual x;

    DenseOp(String path, int in, int out, int w, int b) {
        super(path, in, out);
        this.in = in;
        this.out = out;
        this.w = w;
        this.b = b;
    }

    @Override
    Dual forward(Pass p, Dual xin) {
        x = xin;
        int n = p.n;
        double[] y = new double[n * out];
        fillBias(p.params, b, y, n);              // y = b, then y += x·Wᵀ (one pass fewer than sum-then-add)
        p.gemm.mul(false, true, n, out, in, xin.v(), 0, p.params, w, y, 0, true);
        double[] t = null;
        if (p.tangents()) {
            t = new double[n * out];
            if (xin.t() != null) {
                p.gemm.mul(false, true, n, out, in, xin.t(), 0, p.params, w, t, 0, false);
            }
            p.gemm.mul(false, true, n, out, in, xin.v(), 0, p.dir, w, t, 0, true);
            addBias(p.dir, b, t, n);
        }
        return p.round(new Dual(y, t));
    }

    private void fillBias(double[] src, int off, double[] y, int n) {
        if (off < 0) {
            return;
        }
        for (int r = 0; r < n; r++) {
            System.arraycopy(src, off, y, r * out, out);
        }
    }

    private void addBias(double[] src, int off, double[] y, int n) {
        if (off < 0) {
            return;
        }
        for (int r = 0; r < n; r++) {
            int o = r * out;
            for (int j = 0; j < out; j++) {
                y[o + j] += src[off + j];
            }
        }
    }

    @Override
    Dual backward(Pass p, Dual gy, boolean needInput) {
        int n = p.n;
        double[] g = gy.v();
        if (p.perRow != null) {
            perRow(p, g);
        } else if (p.grad != null) {
            p.gemm.mul(true, false, out, in, n, g, 0, x.v(), 0, p.grad, w, true);
            colSum(g, p.grad, b, n);
        }
        if (p.hv != null) {
            if (gy.t() != null) {
                p.gemm.mul(true, false, out, in, n, gy.t(), 0, x.v(), 0, p.hv, w, true);
                colSum(gy.t(), p.hv, b, n);
            }
            if (x.t() != null) {
                p.gemm.mul(true, false, out, in, n, g, 0, x.t(), 0, p.hv, w, true);
            }
        }
        if (!needInput) {
            return null;
        }
        double[] gx = new double[n * in];
        p.gemm.mul(false, false, n, in, out, g, 0, p.params, w, gx, 0, false);
        double[] tgx = null;
        if (p.tangents()) {
            tgx = new double[n * in];
            if (gy.t() != null) {
                p.gemm.mul(false, false, n, in, out, gy.t(), 0, p.params, w, tgx, 0, false);
            }
            p.gemm.mul(false, false, n, in, out, g, 0, p.dir, w, tgx, 0, true);
        }
        return p.round(new Dual(gx, tgx));
    }

    private void colSum(double[] g, double[] dst, int off, int n) {
        if (off < 0) {
            return;
        }
        for (int r = 0; r < n; r++) {
            int o = r * out;
            for (int j = 0; j < out; j++) {
                dst[off + j] += g[o + j];
            }
        }
    }

    private void perRow(Pass p, double[] g) {
        double[] xv = x.v();
        for (int r = 0; r < p.n; r++) {
            int base = r * p.paramCount;
            for (int o = 0; o < out; o++) {
                double go = g[r * out + o];
                int dst = base + w + o * in;
                int src = r * in;
                for (int i = 0; i < in; i++) {
                    p.perRow[dst + i] = go * xv[src + i];
                }
                if (b >= 0) {
                    p.perRow[base + b + o] = go;
                }
            }
        }
    }

    @Override
    void clear() {
        x = null;
    }
}
