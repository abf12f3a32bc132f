package org.netgeom.numeric.curvature;

import org.netgeom.numeric.Rng;

import java.util.List;

/** Small vector helpers for the Krylov methods. */
final class Vec {
    private Vec() {
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** a ← a + s·b. */
    static void axpy(double[] a, double s, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += s * b[i];
        }
    }

    static void scale(double[] a, double s) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= s;
        }
    }

    /** Removes the components along the (orthonormal) basis, classical Gram–Schmidt, {@code passes} times. */
    static void orthogonalize(double[] w, List<double[]> basis, int passes) {
        for (int p = 0; p < passes; p++) {
            for (double[] q : basis) {
                axpy(w, -dot(q, w), q);
            }
        }
    }

    static double[] gaussian(int n, Rng r) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.gaussian();
        }
        return v;
    }

    static double[] rademacher(int n, Rng r) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.rademacher();
        }
        return v;
    }
}
