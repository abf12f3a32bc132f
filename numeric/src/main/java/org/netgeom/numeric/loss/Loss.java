package org.netgeom.numeric.loss;

import org.netgeom.numeric.NumericError;

import java.util.Locale;

/**
 * The losses, exactly as PyTorch defines them with default arguments (reduction 'mean'):
 * <ul>
 * <li>{@link #MSE}: torch.nn.MSELoss, L = (1/(N·k)) Σ_{r,i} (f_i(x_r) − y_{r,i})².
 * <li>{@link #CROSS_ENTROPY}: torch.nn.CrossEntropyLoss on logits z = f(x) ∈ ℝ^C,
 *     ℓ_r = logsumexp(z) − z_c for a class index c (y is one column of integers 0…C−1), or
 *     ℓ_r = −Σ_i t_i·log softmax(z)_i for class probabilities t (y has C columns); L = (1/N) Σ_r ℓ_r.
 *     With C = 1 a single y column is read as probabilities (as torch reads a float target).
 * </ul>
 * The methods work on sums over rows with an explicit {@code scale} (the reciprocal of
 * {@link #denominator}) so that a full batch can be processed in chunks, or split across DDP ranks.
 */
public enum Loss {
    MSE("mse"),
    CROSS_ENTROPY("cross_entropy");

    public final String spelling;

    Loss(String spelling) {
        this.spelling = spelling;
    }

    /** Parses {@code mse} or {@code cross_entropy} (also {@code cross-entropy}, {@code ce}). */
    public static Loss parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "mse" -> MSE;
            case "cross_entropy", "ce", "crossentropy" -> CROSS_ENTROPY;
            default -> throw NumericError.BAD_OPTION.at("--loss", "--loss is mse or cross_entropy, not " + s);
        };
    }

    /** True when a y of {@code width} columns holds class indices for {@code k} outputs. */
    public boolean classIndices(int width, int k) {
        return this == CROSS_ENTROPY && width == 1 && k > 1;
    }

    /** Checks that targets {@code [n][width]} fit this loss on k outputs; a coded error otherwise. */
    public void checkTargets(double[] y, int n, int width, int k) {
        if (this == MSE) {
            if (width != k) {
                throw NumericError.BAD_TARGETS.error("mse needs as many y columns as the model has outputs (" + k + "), the data has "
                        + width);
            }
            return;
        }
        if (classIndices(width, k)) {
            for (int r = 0; r < n; r++) {
                double c = y[r];
                if (c != Math.rint(c) || c < 0 || c >= k) {
                    throw NumericError.BAD_TARGETS.at("y row " + (r + 1), "cross_entropy with one y column reads class indices 0.."
                            + (k - 1) + "; row " + (r + 1) + " has " + c);
                }
            }
        } else if (width != k) {
            throw NumericError.BAD_TARGETS.error("cross_entropy needs one y column of class indices or " + k
                    + " columns of class probabilities; the data has " + width);
        }
    }

    /** The mean's denominator: N·k for mse, N for cross-entropy. */
    public double denominator(int n, int k) {
        return this == MSE ? (double) n * k : n;
    }

    /** Σ over the n rows of the per-row loss (mse: squared errors summed over outputs too). */
    public double sum(double[] out, double[] y, int n, int k) {
        int width = y.length / Math.max(n, 1);
        double s = 0;
        if (this == MSE) {
            for (int i = 0; i < n * k; i++) {
                double d = out[i] - y[i];
                s += d * d;
            }
            return s;
        }
        for (int r = 0; r < n; r++) {
            double lse = logSumExp(out, r * k, k);
            if (classIndices(width, k)) {
                s += lse - out[r * k + (int) y[r]];
            } else {
                for (int i = 0; i < k; i++) {
                    s -= y[r * k + i] * (out[r * k + i] - lse);
                }
            }
        }
        return s;
    }

    /** {@code scale}·∂(sum)/∂out, {@code [n][k]}. */
    public double[] gradient(double[] out, double[] y, int n, int k, double scale) {
        int width = y.length / Math.max(n, 1);
        double[] g = new double[n * k];
        if (this == MSE) {
            for (int i = 0; i < n * k; i++) {
                g[i] = 2 * (out[i] - y[i]) * scale;
            }
            return g;
        }
        double[] p = new double[k];
        for (int r = 0; r < n; r++) {
            softmax(out, r * k, k, p);
            if (classIndices(width, k)) {
                int c = (int) y[r];
                for (int i = 0; i < k; i++) {
                    g[r * k + i] = (p[i] - (i == c ? 1 : 0)) * scale;
                }
            } else {
                double ts = 0;
                for (int i = 0; i < k; i++) {
                    ts += y[r * k + i];
                }
                for (int i = 0; i < k; i++) {
                    g[r * k + i] = (p[i] * ts - y[r * k + i]) * scale;
                }
            }
        }
        return g;
    }

    /**
     * The R-derivative of {@link #gradient} along output tangents {@code tout} (null: zero):
     * mse 2·scale·R{out}; cross-entropy scale·(Σt)·(diag(p) − p pᵀ)·R{z}.
     */
    public double[] hvp(double[] out, double[] tout, double[] y, int n, int k, double scale) {
        double[] r = new double[n * k];
        if (tout == null) {
            return r;
        }
        if (this == MSE) {
            for (int i = 0; i < n * k; i++) {
                r[i] = 2 * tout[i] * scale;
            }
            return r;
        }
        int width = y.length / Math.max(n, 1);
        double[] p = new double[k];
        for (int row = 0; row < n; row++) {
            softmax(out, row * k, k, p);
            double ts = 1;
            if (!classIndices(width, k)) {
                ts = 0;
                for (int i = 0; i < k; i++) {
                    ts += y[row * k + i];
                }
            }
            double dot = 0;
            for (int i = 0; i < k; i++) {
                dot += p[i] * tout[row * k + i];
            }
            for (int i = 0; i < k; i++) {
                r[row * k + i] = ts * p[i] * (tout[row * k + i] - dot) * scale;
            }
        }
        return r;
    }

    static double logSumExp(double[] z, int off, int k) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            m = Math.max(m, z[off + i]);
        }
        if (Double.isInfinite(m)) {
            return m;
        }
        double s = 0;
        for (int i = 0; i < k; i++) {
            s += Math.exp(z[off + i] - m);
        }
        return m + Math.log(s);
    }

    static void softmax(double[] z, int off, int k, double[] p) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            m = Math.max(m, z[off + i]);
        }
        double s = 0;
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp(z[off + i] - m);
            s += p[i];
        }
        for (int i = 0; i < k; i++) {
            p[i] /= s;
        }
    }
}
