package org.netgeom.symbolic.poly;

import org.netgeom.ir.Rational;

/** Exact Gaussian elimination over Q. */
final class Linear {
    private Linear() {
    }

    /**
     * One solution of the augmented system [A | b] (free variables set to 0), or null when it is
     * inconsistent. The array is modified.
     */
    static Rational[] solve(Rational[][] ab) {
        int rows = ab.length;
        int cols = ab[0].length - 1;
        int[] pivotCol = new int[rows];
        int r = 0;
        for (int c = 0; c < cols && r < rows; c++) {
            int p = -1;
            for (int i = r; i < rows && p < 0; i++) {
                if (!ab[i][c].isZero()) {
                    p = i;
                }
            }
            if (p < 0) {
                continue;
            }
            Rational[] tmp = ab[p];
            ab[p] = ab[r];
            ab[r] = tmp;
            Rational inv = ab[r][c].reciprocal();
            for (int j = c; j <= cols; j++) {
                ab[r][j] = ab[r][j].multiply(inv);
            }
            for (int i = 0; i < rows; i++) {
                if (i != r && !ab[i][c].isZero()) {
                    Rational f = ab[i][c];
                    for (int j = c; j <= cols; j++) {
                        ab[i][j] = ab[i][j].subtract(f.multiply(ab[r][j]));
                    }
                }
            }
            pivotCol[r] = c;
            r++;
        }
        for (int i = r; i < rows; i++) {
            if (!ab[i][cols].isZero()) {
                return null;
            }
        }
        Rational[] x = new Rational[cols];
        java.util.Arrays.fill(x, Rational.ZERO);
        for (int i = 0; i < r; i++) {
            x[pivotCol[i]] = ab[i][cols];
        }
        return x;
    }
}
