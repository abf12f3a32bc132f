package org.netgeom.numeric.curvature;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Progress;
import org.netgeom.numeric.NumericError;
import org.netgeom.ir.NetgeomException;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Krylov methods on explicit matrices, against a dense eigen-decomposition (EJML) and closed forms. */
class CurvatureTest {
    /** A dense symmetric matrix as an operator. */
    static LinearOperator dense(double[] a, int n) {
        return new LinearOperator() {
            long count;

            public int dim() {
                return n;
            }

            public void apply(double[] v, double[] out) {
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += a[i * n + j] * v[j];
                    }
                    out[i] = s;
                }
                count++;
            }

            public long applications() {
                return count;
            }
        };
    }

    /** Q diag(eig) Qᵀ for a random orthogonal Q. */
    static double[] withSpectrum(double[] eig, long seed) {
        int n = eig.length;
        Random r = new Random(seed);
        double[][] q = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] v = new double[n];
            for (int j = 0; j < n; j++) {
                v[j] = r.nextGaussian();
            }
            for (int k = 0; k < i; k++) {
                double d = 0;
                for (int j = 0; j < n; j++) {
                    d += v[j] * q[k][j];
                }
                for (int j = 0; j < n; j++) {
                    v[j] -= d * q[k][j];
                }
            }
            double nv = 0;
            for (double x : v) {
                nv += x * x;
            }
            nv = Math.sqrt(nv);
            for (int j = 0; j < n; j++) {
                v[j] /= nv;
            }
            q[i] = v;
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[k][i] * eig[k] * q[k][j];
                }
                a[i * n + j] = s;
            }
        }
        return a;
    }

    @Test
    void topKOfARandomSymmetricMatrixEqualsDenseEigenvalues() {
        int n = 60;
        Random r = new Random(1);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i * n + j] = a[j * n + i] = r.nextGaussian();
            }
        }
        double[] want = SymEig.of(a.clone(), n, false).values();
        Lanczos.Result res = Lanczos.topK(dense(a, n), 5, 300, 1e-12, 0, Progress.NONE);
        assertTrue(res.converged());
        for (int i = 0; i < 5; i++) {
            assertEquals(want[i], res.values()[i], 1e-10 * Math.abs(want[0]), "λ" + (i + 1));
        }
        assertTrue(res.iterations() <= n);
    }

    @Test
    void repeatedEigenvaluesAreFoundByRestartingAfterBreakdown() {
        double[] eig = new double[40];
        eig[0] = eig[1] = eig[2] = 5;
        eig[3] = 2;
        eig[4] = -7;
        double[] a = withSpectrum(eig, 2);
        Lanczos.Result res = Lanczos.topK(dense(a, 40), 4, 300, 1e-12, 3, Progress.NONE);
        assertEquals(5, res.values()[0], 1e-10);
        assertEquals(5, res.values()[1], 1e-10, "a Krylov space holds one copy of a repeated eigenvalue: the restart finds the others");
        assertEquals(5, res.values()[2], 1e-10);
        assertEquals(2, res.values()[3], 1e-10);
    }

    @Test
    void topKOutOfRangeIsACodedError() {
        NetgeomException e = assertThrows(NetgeomException.class, () -> Lanczos.topK(dense(new double[4], 2), 3, 10, 1e-10, 0, Progress.NONE));
        assertEquals(NumericError.BAD_OPTION, e.code());
    }

    @Test
    void hutchinsonIsExactOnADiagonalMatrix() {
        int n = 30;
        double[] a = new double[n * n];
        double trace = 0;
        for (int i = 0; i < n; i++) {
            a[i * n + i] = i - 7.5;
            trace += i - 7.5;
        }
        Hutchinson.Result r = Hutchinson.trace(dense(a, n), 50, 1e-3, 0, Progress.NONE);
        assertEquals(trace, r.trace(), 1e-12, "vᵀDv = Σ d_i for every Rademacher v");
        assertEquals(0, r.stdError(), 1e-12);
    }

    @Test
    void hutchinsonConvergesToTheTrace() {
        double[] eig = new double[50];
        double trace = 0;
        for (int i = 0; i < 50; i++) {
            eig[i] = 1 + i % 7;
            trace += eig[i];
        }
        Hutchinson.Result r = Hutchinson.trace(dense(withSpectrum(eig, 4), 50), 2000, 0, 0, Progress.NONE);
        assertEquals(2000, r.samples());
        assertTrue(Math.abs(r.trace() - trace) < 4 * r.stdError() + 1e-9, r.trace() + " vs " + trace + " ± " + r.stdError());
    }

    @Test
    void slqWithAFullKrylovSpaceRecoversTheSpectrum() {
        int n = 12;
        double[] eig = new double[n];
        for (int i = 0; i < n; i++) {
            eig[i] = 3 - 0.5 * i;
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = eig[i];
        }
        Slq.Result r = Slq.density(dense(a, n), 100, 1, 400, 1e-5, 0.01, 0, Progress.NONE);
        assertEquals(n, r.nodes()[0].length, "the dimension caps the Lanczos steps");
        double wsum = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(eig[i], r.nodes()[0][i], 1e-9, "node " + i);
            assertEquals(1.0 / n, r.weights()[0][i], 1e-9, "a normalised Rademacher vector weighs each eigenvector 1/n");
            wsum += r.weights()[0][i];
        }
        assertEquals(1, wsum, 1e-12);
        double integral = 0;
        for (double v : r.density()) {
            integral += v;
        }
        integral *= r.grid()[1] - r.grid()[0];
        assertEquals(1, integral, 1e-12, "normalised on the grid, as PyHessian");
        assertEquals(eig[n - 1] - 0.01, r.grid()[0], 1e-9);
        assertEquals(eig[0] + 0.01, r.grid()[r.grid().length - 1], 1e-9);
    }

    @Test
    void powerIterationFindsTheDominantEigenvalue() {
        double[] eig = new double[20];
        for (int i = 0; i < 20; i++) {
            eig[i] = 1 + 0.1 * i;
        }
        eig[5] = 9;
        PowerIteration.Result r = PowerIteration.top(dense(withSpectrum(eig, 7), 20), 500, 1e-12, 0);
        assertEquals(9, r.value(), 1e-9);
    }
}
