package org.netgeom.symbolic.linalg;

import org.netgeom.ir.Rational;
import org.netgeom.symbolic.linalg.ExactMatrices;

import java.util.ArrayList;
import java.util.List;

/**
 * Small dense matrices of exact rationals as {@code Rational[rows][cols]}: products, transposes,
 * the characteristic polynomial (modular, {@link ModularCharPoly}), rank and exact linear solves.
 * Static helpers only.
 */
public final class QMatrix {
    private QMatrix() {
    }

    public static Rational[][] zeros(int r, int c) {
        Rational[][] m = new Rational[r][c];
        for (Rational[] row : m) {
            java.util.Arrays.fill(row, Rational.ZERO);
        }
        return m;
    }

    public static Rational[][] identity(int n) {
        Rational[][] m = zeros(n, n);
        for (int i = 0; i < n; i++) {
            m[i][i] = Rational.ONE;
        }
        return m;
    }

    public static Rational[][] copy(Rational[][] a) {
        Rational[][] m = new Rational[a.length][];
        for (int i = 0; i < a.length; i++) {
            m[i] = a[i].clone();
        }
        return m;
    }

    public static int cols(Rational[][] a) {
        return a.length == 0 ? 0 : a[0].length;
    }

    public static Rational[][] transpose(Rational[][] a) {
        int r = a.length;
        int c = cols(a);
        Rational[][] t = new Rational[c][r];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    public static Rational[][] multiply(Rational[][] a, Rational[][] b) {
        int r = a.length;
        int n = cols(a);
        int c = cols(b);
        Rational[][] m = zeros(r, c);
        for (int i = 0; i < r; i++) {
            for (int k = 0; k < n; k++) {
                Rational x = a[i][k];
                if (x.isZero()) {
                    continue;
                }
                for (int j = 0; j < c; j++) {
                    m[i][j] = m[i][j].add(x.multiply(b[k][j]));
                }
            }
        }
        return m;
    }

    public static Rational[][] add(Rational[][] a, Rational[][] b) {
        Rational[][] m = new Rational[a.length][cols(a)];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = a[i][j].add(b[i][j]);
            }
        }
        return m;
    }

    /** The Gram matrix of the smaller side: AᵀA when cols ≤ rows, else AAᵀ (same non-zero eigenvalues). */
    public static Rational[][] gram(Rational[][] a) {
        return cols(a) <= a.length ? ExactMatrices.gram(transpose(a)) : ExactMatrices.gram(a);
    }

    /** det(xI − A) of a square rational matrix, exactly ({@link ModularCharPoly}). */
    public static QPoly charPoly(Rational[][] a) {
        return ModularCharPoly.of(a);
    }

    /** The rank, by exact Gaussian elimination. */
    public static int rank(Rational[][] a) {
        return pivots(a).size();
    }

    /** The pivot columns of the reduced row echelon form of a (a basis of its column space). */
    public static List<Integer> pivots(Rational[][] a) {
        Rational[][] m = copy(a);
        int rows = m.length;
        int cols = cols(m);
        List<Integer> piv = new ArrayList<>();
        int r = 0;
        for (int c = 0; c < cols && r < rows; c++) {
            int p = -1;
            for (int i = r; i < rows; i++) {
                if (!m[i][c].isZero()) {
                    p = i;
                    break;
                }
            }
            if (p < 0) {
                continue;
            }
            Rational[] t = m[p];
            m[p] = m[r];
            m[r] = t;
            Rational inv = m[r][c].reciprocal();
            for (int i = r + 1; i < rows; i++) {
                if (m[i][c].isZero()) {
                    continue;
                }
                Rational f = m[i][c].multiply(inv);
                for (int j = c; j < cols; j++) {
                    m[i][j] = m[i][j].subtract(f.multiply(m[r][j]));
                }
            }
            piv.add(c);
            r++;
        }
        return piv;
    }

    /** The solution of A x = b for a square non-singular A (Gauss–Jordan); null when A is singular. */
    public static Rational[] solve(Rational[][] a, Rational[] b) {
        int n = a.length;
        Rational[][] m = new Rational[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int p = -1;
            for (int i = c; i < n; i++) {
                if (!m[i][c].isZero()) {
                    p = i;
                    break;
                }
            }
            if (p < 0) {
                return null;
            }
            Rational[] t = m[p];
            m[p] = m[c];
            m[c] = t;
            Rational inv = m[c][c].reciprocal();
            for (int j = c; j <= n; j++) {
                m[c][j] = m[c][j].multiply(inv);
            }
            for (int i = 0; i < n; i++) {
                if (i == c || m[i][c].isZero()) {
                    continue;
                }
                Rational f = m[i][c];
                for (int j = c; j <= n; j++) {
                    m[i][j] = m[i][j].subtract(f.multiply(m[c][j]));
                }
            }
        }
        Rational[] x = new Rational[n];
        for (int i = 0; i < n; i++) {
            x[i] = m[i][n];
        }
        return x;
    }

    /**
     * The minimum-norm solution of H x = r for a symmetric positive semi-definite H with r in its
     * range: x = B α with B the pivot columns of H (a basis of range(H)) and (BᵀHB) α = Bᵀr.
     * Null when r is not in the range (then H x = r has no solution).
     */
    public static Rational[] minNormSolve(Rational[][] h, Rational[] r) {
        int n = h.length;
        List<Integer> piv = pivots(h);
        int k = piv.size();
        Rational[][] b = new Rational[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                b[i][j] = h[i][piv.get(j)];
            }
        }
        Rational[][] bt = transpose(b);
        Rational[] alpha = solve(multiply(multiply(bt, h), b), ExactMatrices.times(bt, r));
        if (alpha == null && k > 0) {
            return null;
        }
        Rational[] x = k == 0 ? zeros(1, n)[0] : ExactMatrices.times(b, alpha);
        Rational[] check = ExactMatrices.times(h, x);
        for (int i = 0; i < n; i++) {
            if (!check[i].equals(r[i])) {
                return null;
            }
        }
        return x;
    }
}
