package org.netgeom.symbolic.verify;

import org.netgeom.ir.Rational;

import java.util.SplittableRandom;

/**
 * A float64 search for a counterexample before the exact branch and bound: seeded random points of
 * the box, then from the best ones a projected sign-gradient ascent on the margin
 * h(x) = min_i (a_i·f(x) + b_i), the gradient by central finite differences (up to 16 inputs;
 * beyond, one simultaneous-perturbation estimate a step, Spall 1992) (as the PGD attacks
 * VNN-COMP tools run first; Madry et al. 2018). Only a heuristic: it returns the best point found
 * (exact rationals, inside the box), and the caller evaluates it exactly; nothing is concluded from
 * a float value.
 */
final class Attack {
    private Attack() {
    }

    static final int SAMPLES = 256;
    static final int STARTS = 4;
    static final int STEPS = 40;
    /** Up to this many inputs the gradient is by central differences per input, beyond by simultaneous perturbation. */
    static final int FD_INPUTS = 16;

    /** The point of the box with the best float margin found (exact binary values clamped to the box). */
    static Rational[] search(Graph g, Rational[][] rows, Rational[] offsets, Rational[] lo, Rational[] hi, long seed) {
        int n = lo.length;
        double[] l = new double[n];
        double[] h = new double[n];
        for (int j = 0; j < n; j++) {
            l[j] = lo[j].doubleValue();
            h[j] = hi[j].doubleValue();
        }
        double[][] a = new double[rows.length][];
        double[] b = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            a[i] = new double[rows[i].length];
            for (int k = 0; k < rows[i].length; k++) {
                a[i][k] = rows[i][k].doubleValue();
            }
            b[i] = offsets[i].doubleValue();
        }
        SplittableRandom r = new SplittableRandom(seed);
        double[][] best = new double[STARTS][];
        double[] bestV = new double[STARTS];
        java.util.Arrays.fill(bestV, Double.NEGATIVE_INFINITY);
        for (int s = 0; s < SAMPLES; s++) {
            double[] x = new double[n];
            for (int j = 0; j < n; j++) {
                // corners now and then: maxima of piecewise-linear functions like vertices
                x[j] = s % 4 == 3 ? (r.nextBoolean() ? l[j] : h[j]) : l[j] + (h[j] - l[j]) * r.nextDouble();
            }
            double v = margin(g, a, b, x);
            for (int k = 0; k < STARTS; k++) {
                if (v > bestV[k]) {
                    System.arraycopy(bestV, k, bestV, k + 1, STARTS - k - 1);
                    System.arraycopy(best, k, best, k + 1, STARTS - k - 1);
                    bestV[k] = v;
                    best[k] = x;
                    break;
                }
            }
        }
        double[] top = best[0];
        double topV = bestV[0];
        for (int k = 0; k < STARTS && best[k] != null; k++) {
            double[] x = best[k].clone();
            double v = bestV[k];
            for (int t = 0; t < STEPS; t++) {
                double step = 0.5 * (1 - t / (double) STEPS) + 0.01;
                double[] grad = new double[n];
                if (n <= FD_INPUTS) {
                    for (int j = 0; j < n; j++) {
                        double d = 1e-6 * Math.max(1, h[j] - l[j]);
                        double[] xp = x.clone();
                        double[] xm = x.clone();
                        xp[j] = Math.min(h[j], x[j] + d);
                        xm[j] = Math.max(l[j], x[j] - d);
                        grad[j] = margin(g, a, b, xp) - margin(g, a, b, xm);
                    }
                } else {
                    // many inputs: one simultaneous-perturbation estimate (Spall 1992), two evaluations a step
                    double[] dir = new double[n];
                    double[] xp = x.clone();
                    double[] xm = x.clone();
                    for (int j = 0; j < n; j++) {
                        dir[j] = r.nextBoolean() ? 1 : -1;
                        double d = 1e-6 * Math.max(1, h[j] - l[j]);
                        xp[j] = Math.max(l[j], Math.min(h[j], x[j] + d * dir[j]));
                        xm[j] = Math.max(l[j], Math.min(h[j], x[j] - d * dir[j]));
                    }
                    double diff = margin(g, a, b, xp) - margin(g, a, b, xm);
                    for (int j = 0; j < n; j++) {
                        grad[j] = diff * dir[j];
                    }
                }
                double[] y = new double[n];
                for (int j = 0; j < n; j++) {
                    double w = (h[j] - l[j]) * step * Math.signum(grad[j]);
                    y[j] = Math.max(l[j], Math.min(h[j], x[j] + w));
                }
                double vy = margin(g, a, b, y);
                if (vy > v) {
                    x = y;
                    v = vy;
                }
            }
            if (v > topV) {
                top = x;
                topV = v;
            }
        }
        Rational[] out = new Rational[n];
        for (int j = 0; j < n; j++) {
            Rational q = Rational.fromDouble(top[j]);
            out[j] = q.compareTo(lo[j]) < 0 ? lo[j] : q.compareTo(hi[j]) > 0 ? hi[j] : q;
        }
        return out;
    }

    private static double margin(Graph g, double[][] a, double[] b, double[] x) {
        double[] y = g.evalDouble(x);
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < a.length; i++) {
            double s = b[i];
            for (int k = 0; k < y.length; k++) {
                s += a[i][k] * y[k];
            }
            m = Math.min(m, s);
        }
        return m;
    }
}
