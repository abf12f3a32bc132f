package org.netgeom.numeric.curvature;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;
import java.util.Comparator;

/** Eigenvalues and eigenvectors of a small dense symmetric matrix (EJML's symmetric QR algorithm), sorted descending. */
public final class SymEig {
    /** Eigenvalues λ₀ ≥ λ₁ ≥ …; {@code vectors[i]} is the unit eigenvector of λᵢ (or null when not asked for). */
    public record Result(double[] values, double[][] vectors) {
    }

    private SymEig() {
    }

    /** The eigen-decomposition of the symmetric n×n matrix {@code a} (row-major). */
    public static Result of(double[] a, int n, boolean vectors) {
        if (n == 0) {
            return new Result(new double[0], new double[0][]);
        }
        DMatrixRMaj m = new DMatrixRMaj(n, n, true, a);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, vectors, true);
        if (!eig.decompose(m)) {
            throw new IllegalStateException("the symmetric eigen-decomposition did not converge");
        }
        Integer[] idx = new Integer[n];
        double[] vals = new double[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
            vals[i] = eig.getEigenvalue(i).getReal();
        }
        Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> vals[i]).reversed());
        double[] sorted = new double[n];
        double[][] vecs = vectors ? new double[n][] : null;
        for (int i = 0; i < n; i++) {
            sorted[i] = vals[idx[i]];
            if (vectors) {
                vecs[i] = eig.getEigenVector(idx[i]).getData().clone();
            }
        }
        return new Result(sorted, vecs);
    }

    /** The eigen-decomposition of the symmetric tridiagonal matrix with diagonal {@code alpha} and off-diagonal {@code beta}. */
    public static Result tridiagonal(double[] alpha, double[] beta, int n, boolean vectors) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            t[i * n + i] = alpha[i];
            if (i + 1 < n) {
                t[i * n + i + 1] = beta[i];
                t[(i + 1) * n + i] = beta[i];
            }
        }
        return of(t, n, vectors);
    }
}
