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

    /** Removes the components along the (orthonormal) basis, one vector after the other, {@code passes} times. */
    static void orthogonalize(double[] w, List<double[]> basis, int passes) {
        for (int p = 0; p < passes; p++) {
            for (double[] q : basis) {
                axpy(w, -dot(q, w), q);
            }
        }
    }

    /**
     * Full reorthogonalisation for Lanczos: classical Gram–Schmidt (c = Qᵀw, then w ← w − Qc), in
     * parallel (the dot products split by basis vector, the update by element, each sum in a fixed
     * order, so the result does not depend on the number of threads), repeated once when the norm
     * drops below 1/√2 of what it was ("twice is enough": Giraud, Langou and Rozložník 2005).
     */
    static void reorthogonalize(double[] w, List<double[]> basis) {
        for (int pass = 0; pass < 2; pass++) {
            double before = norm(w);
            int m = basis.size();
            double[] c = new double[m];
            long work = (long) m * w.length;
            org.netgeom.numeric.linalg.Parallel.range(m, 1, work, 1L << 16, (a, b) -> {
                for (int i = a; i < b; i++) {
                    c[i] = dot(basis.get(i), w);
                }
            });
            org.netgeom.numeric.linalg.Parallel.range(w.length, 4096, work, 1L << 16, (a, b) -> {
                for (int i = 0; i < m; i++) {
                    double[] q = basis.get(i);
                    double ci = c[i];
                    for (int e = a; e < b; e++) {
                        w[e] -= ci * q[e];
                    }
                }
            });
            if (norm(w) > before / Math.sqrt(2)) {
                return;
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
