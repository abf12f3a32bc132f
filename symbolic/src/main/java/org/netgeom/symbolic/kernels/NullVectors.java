package org.netgeom.symbolic.kernels;

import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A certified lower bound on the multiplicity of the eigenvalue 0 of a kernel matrix, with its
 * reason. A kernel matrix K_ij = k(x_i, x_j) has the null vector e_i − e_j when x_i = x_j; when k
 * is positively homogeneous (k(c x, x') = c^r k(x, x') for c &gt; 0: H∞ always, NNGP and NTK when
 * σ_b² = 0 and φ is homogeneous) also c^r e_i − e_j when x_j = c x_i, and e_i when x_i = 0. Each
 * group of g proportional inputs gives g − 1 independent null vectors, each zero input one. A
 * rational kernel (identity or square activation, or no hidden layer) gets its exact rank.
 *
 * @param count how many eigenvalues are certainly 0
 * @param why   the certificate, in words
 */
record NullVectors(int count, String why) {
    private static final int EXACT_RANK_MAX = 300;

    static NullVectors of(KernelKind kind, Rational[][] x, Architecture arch) {
        int n = x.length;
        boolean rational = kind != KernelKind.H_INFINITY && (arch.depth() == 0
                || arch.activation() instanceof Activation.Identity || arch.activation() instanceof Activation.Square);
        if (rational && n <= EXACT_RANK_MAX) {
            Rational[][] k = Recursion.kernel(kind, x, arch, new Arith.Exact(), false, Progress.NONE);
            int r = rank(k);
            return new NullVectors(n - r, "the kernel matrix is rational with exact rank " + r);
        }
        boolean homogeneous = kind == KernelKind.H_INFINITY || arch.keepsRays();
        Map<List<Rational>, Integer> groups = new HashMap<>();
        int zero = 0;
        for (Rational[] row : x) {
            if (homogeneous && Arrays.stream(row).allMatch(Rational::isZero)) {
                zero++;
                continue;
            }
            groups.merge(homogeneous ? ray(row) : List.of(row), 1, Integer::sum);
        }
        int count = zero;
        for (int g : groups.values()) {
            count += g - 1;
        }
        if (count == 0) {
            return new NullVectors(0, null);
        }
        List<String> parts = new ArrayList<>();
        if (zero > 0) {
            parts.add(zero + " zero input" + (zero > 1 ? "s" : "") + " (zero rows)");
        }
        if (count > zero) {
            parts.add((count - zero) + " input" + (count - zero > 1 ? "s" : "") + (homogeneous
                    ? " positively proportional to an earlier one (proportional rows; the kernel is positively homogeneous)"
                    : " identical to an earlier one (equal rows)"));
        }
        return new NullVectors(count, String.join("; ", parts));
    }

    /** The row scaled so that its first nonzero entry is ±1 (equal for positive multiples). */
    private static List<Rational> ray(Rational[] row) {
        Rational lead = null;
        for (Rational v : row) {
            if (!v.isZero()) {
                lead = v.abs();
                break;
            }
        }
        List<Rational> out = new ArrayList<>(row.length);
        for (Rational v : row) {
            out.add(v.divide(lead));
        }
        return out;
    }

    /** The rank of a rational matrix (Gaussian elimination, exact). */
    static int rank(Rational[][] m) {
        int rows = m.length;
        int cols = rows == 0 ? 0 : m[0].length;
        Rational[][] a = new Rational[rows][];
        for (int i = 0; i < rows; i++) {
            a[i] = m[i].clone();
        }
        int rank = 0;
        for (int c = 0; c < cols && rank < rows; c++) {
            int piv = -1;
            for (int r = rank; r < rows; r++) {
                if (!a[r][c].isZero()) {
                    piv = r;
                    break;
                }
            }
            if (piv < 0) {
                continue;
            }
            Rational[] t = a[piv];
            a[piv] = a[rank];
            a[rank] = t;
            for (int r = rank + 1; r < rows; r++) {
                if (a[r][c].isZero()) {
                    continue;
                }
                Rational f = a[r][c].divide(a[rank][c]);
                for (int k = c; k < cols; k++) {
                    a[r][k] = a[r][k].subtract(f.multiply(a[rank][k]));
                }
            }
            rank++;
        }
        return rank;
    }
}
