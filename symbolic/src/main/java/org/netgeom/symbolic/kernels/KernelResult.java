package org.netgeom.symbolic.kernels;

import java.math.BigDecimal;
import java.util.List;

/**
 * A kernel matrix on a data set, with its spectrum.
 *
 * @param kind           nngp, ntk or h-infinity
 * @param architecture   the net (null for h-infinity)
 * @param matrix         the entries, rounded to {@code digits} significant digits (or, with an
 *                       {@code estimatedError}, to what that error allows)
 * @param eigenvalues    ascending, likewise rounded; certified zeros are exactly 0
 * @param lambdaMin      the smallest eigenvalue (Du et al.'s λ₀ for h-infinity)
 * @param digits         the significant digits each printed value is correct to: its error is
 *                       below one unit in its last digit (closed forms)
 * @param exactZeros     how many eigenvalues are certified to be exactly 0
 * @param zeroCertificate why they are 0 (null when none are)
 * @param workingDigits  the working precision of the certified evaluation
 * @param method         how the entries were computed
 * @param estimatedError for quadrature: the estimated absolute error of each entry (null for closed forms)
 * @param warnings       values that could not be certified to {@code digits} digits, and why
 * @param expressions    with closed forms: each entry as a Symja expression (ArcCos, Sqrt, Pi), else null
 * @param latex          with closed forms: each entry in LaTeX, else null
 */
public record KernelResult(KernelKind kind, Architecture architecture, BigDecimal[][] matrix, BigDecimal[] eigenvalues,
                           BigDecimal lambdaMin, int digits, int exactZeros, String zeroCertificate, int workingDigits,
                           String method, BigDecimal estimatedError, List<String> warnings, String[][] expressions,
                           String[][] latex) {

    /** The number of data points. */
    public int size() {
        return matrix.length;
    }

    /** The matrix as doubles (nearest). */
    public double[][] doubles() {
        double[][] out = new double[matrix.length][];
        for (int i = 0; i < matrix.length; i++) {
            out[i] = new double[matrix[i].length];
            for (int j = 0; j < matrix[i].length; j++) {
                out[i][j] = matrix[i][j].doubleValue();
            }
        }
        return out;
    }

    /** A decimal as printed: plain notation for moderate exponents, scientific otherwise. */
    public static String format(BigDecimal v) {
        if (v.signum() == 0) {
            return "0";
        }
        BigDecimal s = v.stripTrailingZeros();
        int exp = s.precision() - s.scale() - 1;
        return exp >= -12 && exp < 24 ? s.toPlainString() : s.toString();
    }
}
