package org.netgeom.numeric.engine;

import org.netgeom.numeric.NumericError;

/**
 * Batch normalisation per feature (vectors) or channel ({@code [C, H, W]}), as
 * torch.nn.BatchNorm1d/2d (Ioffe and Szegedy 2015): y = α·x + β' with α = γ/√(σ² + eps) and
 * β' = β − μ·α, where (μ, σ²) are the running statistics in inference mode and the batch's
 * (biased) mean and variance in training mode; training also updates the running statistics,
 * {@code r ← (1 − m)·r + m·s} with momentum m = 0.1 and the unbiased batch variance.
 *
 * <p>Inference mode is affine in x and bilinear in (γ, x), so it carries tangents:
 * R{y} = α·R{x} + (v_γ/σ)(x − μ) + v_β. Training mode has no tangents (a coded refusal).
 */
final class BatchNormOp extends Op {
    static final double MOMENTUM = 0.1;

    private final int channels;
    private final int per;
    private final int gamma;
    private final int beta;
    private final int mean;
    private final int var;
    private final double eps;
    private Dual x;
    private double[] mu;
    private double[] invstd;

    BatchNormOp(String path, int size, int channels, int gamma, int beta, int mean, int var, double eps) {
        super(path, size, size);
        this.channels = channels;
        this.per = size / channels;
        this.gamma = gamma;
        this.beta = beta;
        this.mean = mean;
        this.var = var;
        this.eps = eps;
    }

    private double g(Pass p, int c) {
        return gamma < 0 ? 1 : p.params[gamma + c];
    }

    private double b(Pass p, int c) {
        return beta < 0 ? 0 : p.params[beta + c];
    }

    @Override
    Dual forward(Pass p, Dual xin) {
        x = xin;
        int n = p.n;
        double[] xv = xin.v();
        mu = new double[channels];
        invstd = new double[channels];
        if (p.train) {
            if (p.tangents()) {
                throw NumericError.OP_REFUSED.at(path, "second derivatives through batchnorm in training mode are not supported; "
                        + "curvature is taken in inference mode (running statistics)");
            }
            long m = (long) n * per;
            if (m <= 1) {
                throw NumericError.BAD_OPTION.at(path, "batchnorm in training mode needs more than 1 value per channel (PyTorch "
                        + "refuses it too); use a larger batch or --batchnorm eval");
            }
            for (int c = 0; c < channels; c++) {
                double s = 0;
                for (int r = 0; r < n; r++) {
                    int o = r * inSize + c * per;
                    for (int k = 0; k < per; k++) {
                        s += xv[o + k];
                    }
                }
                double mc = s / m;
                double ss = 0;
                for (int r = 0; r < n; r++) {
                    int o = r * inSize + c * per;
                    for (int k = 0; k < per; k++) {
                        double d = xv[o + k] - mc;
                        ss += d * d;
                    }
                }
                mu[c] = mc;
                invstd[c] = 1 / Math.sqrt(ss / m + eps);
                p.buffers[mean + c] = MOMENTUM * mc + (1 - MOMENTUM) * p.buffers[mean + c];
                p.buffers[var + c] = MOMENTUM * (ss / (m - 1)) + (1 - MOMENTUM) * p.buffers[var + c];
            }
            if (p.precision == Precision.F32) {
                for (int c = 0; c < channels; c++) {
                    p.buffers[mean + c] = (float) p.buffers[mean + c];
                    p.buffers[var + c] = (float) p.buffers[var + c];
                }
            }
        } else {
            for (int c = 0; c < channels; c++) {
                mu[c] = p.buffers[mean + c];
                invstd[c] = 1 / Math.sqrt(p.buffers[var + c] + eps);
            }
        }
        double[] y = new double[xv.length];
        for (int c = 0; c < channels; c++) {
            double alpha = invstd[c] * g(p, c);
            double shift = b(p, c) - mu[c] * alpha;
            for (int r = 0; r < n; r++) {
                int o = r * inSize + c * per;
                for (int k = 0; k < per; k++) {
                    y[o + k] = xv[o + k] * alpha + shift;
                }
            }
        }
        double[] t = null;
        if (p.tangents()) {
            t = new double[xv.length];
            double[] tx = xin.t();
            for (int c = 0; c < channels; c++) {
                double alpha = invstd[c] * g(p, c);
                double vg = gamma < 0 ? 0 : p.dir[gamma + c] * invstd[c];
                double vb = beta < 0 ? 0 : p.dir[beta + c];
                for (int r = 0; r < n; r++) {
                    int o = r * inSize + c * per;
                    for (int k = 0; k < per; k++) {
                        t[o + k] = (tx == null ? 0 : alpha * tx[o + k]) + vg * (xv[o + k] - mu[c]) + vb;
                    }
                }
            }
        }
        return p.round(new Dual(y, t));
    }

    @Override
    Dual backward(Pass p, Dual gy, boolean needInput) {
        int n = p.n;
        double[] xv = x.v();
        double[] g = gy.v();
        double[] gx = needInput ? new double[g.length] : null;
        double[] tg = needInput && p.tangents() ? new double[g.length] : null;
        long m = (long) n * per;
        for (int c = 0; c < channels; c++) {
            double sumG = 0;
            double dot = 0;
            for (int r = 0; r < n; r++) {
                int o = r * inSize + c * per;
                double rg = 0;
                double rd = 0;
                for (int k = 0; k < per; k++) {
                    rg += g[o + k];
                    rd += (xv[o + k] - mu[c]) * g[o + k];
                }
                sumG += rg;
                dot += rd;
                if (p.perRow != null) {
                    int base = r * p.paramCount;
                    if (gamma >= 0) {
                        p.perRow[base + gamma + c] = rd * invstd[c];
                    }
                    if (beta >= 0) {
                        p.perRow[base + beta + c] = rg;
                    }
                }
            }
            if (p.perRow == null && p.grad != null) {
                if (gamma >= 0) {
                    p.grad[gamma + c] += dot * invstd[c];
                }
                if (beta >= 0) {
                    p.grad[beta + c] += sumG;
                }
            }
            if (p.hv != null) {
                hvChannel(p, gy, c);
            }
            if (gx == null) {
                continue;
            }
            double w = g(p, c);
            if (p.train) {
                double gradMean = sumG / m;
                double proj = dot * invstd[c] * invstd[c] / m;
                for (int r = 0; r < n; r++) {
                    int o = r * inSize + c * per;
                    for (int k = 0; k < per; k++) {
                        gx[o + k] = (g[o + k] - gradMean - (xv[o + k] - mu[c]) * proj) * invstd[c] * w;
                    }
                }
            } else {
                double alpha = invstd[c] * w;
                double vg = tg == null || gamma < 0 ? 0 : p.dir[gamma + c] * invstd[c];
                for (int r = 0; r < n; r++) {
                    int o = r * inSize + c * per;
                    for (int k = 0; k < per; k++) {
                        gx[o + k] = g[o + k] * alpha;
                        if (tg != null) {
                            tg[o + k] = (gy.t() == null ? 0 : alpha * gy.t()[o + k]) + vg * g[o + k];
                        }
                    }
                }
            }
        }
        return needInput ? p.round(new Dual(gx, tg)) : null;
    }

    /** R{dγ} = Σ R{dy}(x − μ)/σ + dy·R{x}/σ, R{dβ} = Σ R{dy}. */
    private void hvChannel(Pass p, Dual gy, int c) {
        double[] xv = x.v();
        double[] tx = x.t();
        double[] g = gy.v();
        double[] rg = gy.t();
        double sg = 0;
        double sb = 0;
        for (int r = 0; r < p.n; r++) {
            int o = r * inSize + c * per;
            for (int k = 0; k < per; k++) {
                if (rg != null) {
                    sg += rg[o + k] * (xv[o + k] - mu[c]);
                    sb += rg[o + k];
                }
                if (tx != null) {
                    sg += g[o + k] * tx[o + k];
                }
            }
        }
        if (gamma >= 0) {
            p.hv[gamma + c] += sg * invstd[c];
        }
        if (beta >= 0) {
            p.hv[beta + c] += sb;
        }
    }

    @Override
    void clear() {
        x = null;
        mu = null;
        invstd = null;
    }
}
