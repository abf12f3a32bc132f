package org.netgeom.symbolic.kernels;

import org.hipparchus.special.Erf;

/**
 * An independent float64 implementation of the NNGP/NTK recursion, written the textbook way
 * (numpy style: one whole matrix per layer), for the tests. ReLU-family expectations from Cho &amp;
 * Saul's arc-cosine kernel J₁(θ) = sin θ + (π − θ) cos θ and the orthant probability
 * P(u &gt; 0, v &gt; 0) = (π − θ)/(2π), split as φ(u) = b relu(u) − a relu(−u); erf from Williams
 * (1997); square from Isserlis' theorem.
 */
final class Reference {
    private Reference() {
    }

    /** Activation names: relu-family as {a, b}; or "identity", "square", "erf". */
    static double[][][] kernels(double[][] x, String act, double a, double b, int depth, double w2, double b2) {
        int n = x.length;
        int d = x[0].length;
        double[][] sig = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < d; k++) {
                    dot += x[i][k] * x[j][k];
                }
                sig[i][j] = w2 * dot / d + b2;
            }
        }
        double[][] ntk = copy(sig);
        for (int l = 0; l < depth; l++) {
            double[][] hat = new double[n][n];
            double[][] dot = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double q1 = sig[i][i];
                    double q2 = sig[j][j];
                    double s = sig[i][j];
                    double[] e = expect(act, a, b, q1, q2, s);
                    hat[i][j] = e[0];
                    dot[i][j] = e[1];
                }
            }
            double[][] next = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    next[i][j] = w2 * hat[i][j] + b2;
                    ntk[i][j] = next[i][j] + w2 * dot[i][j] * ntk[i][j];
                }
            }
            sig = next;
        }
        return new double[][][]{sig, ntk};
    }

    /** {E φ(u)φ(v), E φ'(u)φ'(v)}. */
    static double[] expect(String act, double a, double b, double q1, double q2, double s) {
        switch (act) {
            case "identity":
                return new double[]{s, 1};
            case "square":
                return new double[]{q1 * q2 + 2 * s * s, 4 * s};
            case "erf": {
                double den = Math.sqrt((1 + 2 * q1) * (1 + 2 * q2));
                double hat = 2 / Math.PI * Math.asin(2 * s / den);
                double det = (1 + 2 * q1) * (1 + 2 * q2) - 4 * s * s;
                return new double[]{hat, 4 / Math.PI / Math.sqrt(det)};
            }
            default: {
                double norm = Math.sqrt(q1 * q2);
                double c = Math.min(1, Math.max(-1, s / norm));
                double th = Math.acos(c);
                double same = norm / (2 * Math.PI) * (Math.sin(th) + (Math.PI - th) * Math.cos(th));
                double opposite = norm / (2 * Math.PI) * (Math.sin(Math.PI - th) + th * Math.cos(Math.PI - th));
                double hat = (a * a + b * b) * same - 2 * a * b * opposite;
                double pSame = (Math.PI - th) / (2 * Math.PI);
                double pOpp = th / (2 * Math.PI);
                double dot = (a * a + b * b) * pSame + 2 * a * b * pOpp;
                return new double[]{hat, dot};
            }
        }
    }

    /** H∞ the textbook way. */
    static double[][] hInfinity(double[][] x) {
        int n = x.length;
        double[][] h = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                double ni = 0;
                double nj = 0;
                for (int k = 0; k < x[i].length; k++) {
                    dot += x[i][k] * x[j][k];
                    ni += x[i][k] * x[i][k];
                    nj += x[j][k] * x[j][k];
                }
                double c = Math.min(1, Math.max(-1, dot / Math.sqrt(ni * nj)));
                h[i][j] = dot * (Math.PI - Math.acos(c)) / (2 * Math.PI);
            }
        }
        return h;
    }

    static double erf(double x) {
        return Erf.erf(x);
    }

    static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
