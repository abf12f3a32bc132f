package org.netgeom.numeric.kernels;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Empirical kernels of finite random nets ({@link RandomFcNet}), the finite-width counterparts of
 * the analytic kernels in {@code org.netgeom.symbolic.kernels}:
 * <ul>
 * <li>NTK: Θ̂(x, x') = ⟨∂f(x)/∂θ, ∂f(x')/∂θ⟩ over all parameters θ (every W and b, standard
 *   normal, with the NTK scaling), i.e. J Jᵀ; computed layer by layer by back-propagation as
 *   Σ_l ⟨δ^l(x), δ^l(x')⟩ (σ_w²/n_{l−1} ⟨a^{l−1}(x), a^{l−1}(x')⟩ + σ_b²) with δ^l = ∂f/∂h^l
 *   (Jacot, Gabriel &amp; Hongler 2018; the layer-wise factorisation as in Arora et al. 2019, §3);</li>
 * <li>NNGP: the covariance of the output over the draw of the readout layer,
 *   σ_w²/n_L ⟨a^L(x), a^L(x')⟩ + σ_b² (neural-tangents' {@code empirical_nngp_fn} in the limit of
 *   many outputs);</li>
 * <li>Du et al.'s H(0)_ij = x_i·x_j (1/m) Σ_r 1{w_r·x_i ≥ 0, w_r·x_j ≥ 0}, w_r ~ N(0, I) (Du, Zhai,
 *   Póczos &amp; Singh 2019, the Gram matrix H(0) of their two-layer net at initialisation).</li>
 * </ul>
 * As the width grows they converge to the analytic kernels with fluctuations of order 1/√width.
 */
public final class EmpiricalKernels {
    private EmpiricalKernels() {
    }

    /** J Jᵀ on the rows of x. */
    public static double[][] ntk(RandomFcNet net, double[][] x) {
        RandomFcNet.Pass pass = net.forward(x);
        int n = x.length;
        int layers = net.weights().length;
        double[][][] delta = new double[layers][][];
        delta[layers - 1] = new double[n][1];
        for (int p = 0; p < n; p++) {
            delta[layers - 1][p][0] = 1;
        }
        for (int l = layers - 2; l >= 0; l--) {                 // δ^l = φ'(h^l) ∘ (σ_w/√n_l) W^{l+1}ᵀ δ^{l+1}
            double[][] w = net.weights()[l + 1];
            double scale = Math.sqrt(net.sigmaW2() / w[0].length);
            int width = w[0].length;
            delta[l] = new double[n][width];
            for (int p = 0; p < n; p++) {
                double[] up = delta[l + 1][p];
                double[] d = delta[l][p];
                for (int i = 0; i < w.length; i++) {
                    double ui = up[i] * scale;
                    double[] wi = w[i];
                    for (int j = 0; j < width; j++) {
                        d[j] += wi[j] * ui;
                    }
                }
                for (int j = 0; j < width; j++) {
                    d[j] *= RandomFcNet.activation(net.phi(), pass.h()[l][p][j], 1);
                }
            }
        }
        double[][] k = new double[n][n];
        for (int l = 0; l < layers; l++) {
            double[][] a = pass.a()[l];
            double[][] d = delta[l];
            double wScale = net.sigmaW2() / a[0].length;
            for (int p = 0; p < n; p++) {
                for (int q = p; q < n; q++) {
                    double v = dot(d[p], d[q]) * (wScale * dot(a[p], a[q]) + net.sigmaB2());
                    k[p][q] += v;
                    if (q != p) {
                        k[q][p] += v;
                    }
                }
            }
        }
        return k;
    }

    /** σ_w²/n_L ⟨a^L(x), a^L(x')⟩ + σ_b² on the rows of x. */
    public static double[][] nngp(RandomFcNet net, double[][] x) {
        RandomFcNet.Pass pass = net.forward(x);
        double[][] a = pass.a()[net.weights().length - 1];
        int n = x.length;
        double scale = net.sigmaW2() / a[0].length;
        double[][] k = new double[n][n];
        for (int p = 0; p < n; p++) {
            for (int q = p; q < n; q++) {
                k[p][q] = scale * dot(a[p], a[q]) + net.sigmaB2();
                k[q][p] = k[p][q];
            }
        }
        return k;
    }

    /** Du et al.'s H(0) with m hidden units w_r ~ N(0, I) (seeded). */
    public static double[][] duGram(double[][] x, int m, long seed) {
        int n = x.length;
        int d = x[0].length;
        SplittableRandom r = new SplittableRandom(seed);
        boolean[][] on = new boolean[m][n];
        double[] w = new double[d];
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < d; j++) {
                w[j] = r.nextGaussian();
            }
            for (int p = 0; p < n; p++) {
                on[k][p] = dot(w, x[p]) >= 0;
            }
        }
        double[][] h = new double[n][n];
        IntStream.range(0, n).parallel().forEach(p -> {
            for (int q = p; q < n; q++) {
                int c = 0;
                for (int k = 0; k < m; k++) {
                    if (on[k][p] && on[k][q]) {
                        c++;
                    }
                }
                h[p][q] = dot(x[p], x[q]) * c / m;
            }
        });
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < p; q++) {
                h[p][q] = h[q][p];
            }
        }
        return h;
    }

    /** ‖a − b‖_F / ‖b‖_F. */
    public static double relativeFrobenius(double[][] a, double[][] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < b.length; i++) {
            for (int j = 0; j < b[i].length; j++) {
                double e = a[i][j] - b[i][j];
                num += e * e;
                den += b[i][j] * b[i][j];
            }
        }
        return Math.sqrt(num / den);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
