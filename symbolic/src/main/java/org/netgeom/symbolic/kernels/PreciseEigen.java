package org.netgeom.symbolic.kernels;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.netgeom.ir.Progress;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Eigenvalues of symmetric matrices in arbitrary precision.
 *
 * <p>{@link #eigenvalues}: Householder reduction to a tridiagonal T (Golub &amp; Van Loan,
 * Matrix Computations, §8.3.1), then for each index i bisection on Sturm counts (the number of
 * negative pivots of T − μI in its LDLᵀ factorisation is the number of eigenvalues below μ,
 * Sylvester's law of inertia; G&amp;VL §8.4.1) until the bracket [lo, hi) with
 * count(lo) ≤ i &lt; count(hi) is narrow enough. The double-precision eigenvalues seed Newton's
 * iteration on the characteristic polynomial of T (its logarithmic derivative from the same pivot
 * recurrence), and the Newton value is accepted only when two Sturm counts bracket it within the
 * target width; otherwise bisection runs (clusters, multiple eigenvalues).
 *
 * <p>{@link #decompose}: eigenvalues and eigenvectors by Jacobi rotations (G&amp;VL §8.5) in high
 * precision, started from the double-precision eigenvectors orthonormalised by modified
 * Gram–Schmidt, so that two or three sweeps reach working precision.
 */
final class PreciseEigen {
    private PreciseEigen() {
    }

    /** The tridiagonal reduction: diagonal a, off-diagonal b (b[k] couples k and k+1). */
    record Tridiagonal(BigDecimal[] a, BigDecimal[] b) {
    }

    /**
     * Householder reduction of the symmetric {@code m} (not modified) to tridiagonal form, at
     * working precision {@code mc}. The computed T is exactly similar to m + E with
     * ‖E‖ ≲ n²·10^{1−p}·‖m‖_F (Wilkinson's bound for Householder reductions).
     */
    static Tridiagonal tridiagonalize(BigDecimal[][] m, MathContext mc, Progress progress) {
        int n = m.length;
        BigDecimal[][] s = new BigDecimal[n][];
        for (int i = 0; i < n; i++) {
            s[i] = Arrays.copyOf(m[i], i + 1);           // lower triangle, s[i][j] for j ≤ i
        }
        BigDecimal[] a = new BigDecimal[n];
        BigDecimal[] b = new BigDecimal[Math.max(n - 1, 0)];
        BigDecimal two = BigDecimal.valueOf(2);
        progress.start("tridiagonalize", Math.max(n - 2, 0));
        for (int k = 0; k < n - 2; k++) {
            a[k] = s[k][k];
            int base = k + 1;
            int len = n - base;
            BigDecimal[] v = new BigDecimal[len];
            BigDecimal sigma = BigDecimal.ZERO;
            for (int i = 0; i < len; i++) {
                v[i] = s[base + i][k];
                sigma = sigma.add(v[i].multiply(v[i], mc), mc);
            }
            if (sigma.signum() == 0) {
                b[k] = BigDecimal.ZERO;
                progress.set(k + 1);
                continue;
            }
            BigDecimal x0 = v[0];
            BigDecimal alpha = sigma.sqrt(mc);
            if (x0.signum() > 0) {
                alpha = alpha.negate();
            }
            v[0] = x0.subtract(alpha, mc);
            BigDecimal vtv = two.multiply(sigma.subtract(x0.multiply(alpha, mc), mc), mc);
            BigDecimal beta = two.divide(vtv, mc);
            BigDecimal[] p = new BigDecimal[len];
            IntStream.range(0, len).parallel().forEach(i -> {
                BigDecimal acc = BigDecimal.ZERO;                  // exact products and sums, one rounding
                BigDecimal[] row = s[base + i];
                for (int j = 0; j <= i; j++) {
                    acc = acc.add(row[base + j].multiply(v[j]));
                }
                for (int j = i + 1; j < len; j++) {
                    acc = acc.add(s[base + j][base + i].multiply(v[j]));
                }
                p[i] = beta.multiply(acc.round(mc), mc);
            });
            BigDecimal vp = BigDecimal.ZERO;
            for (int i = 0; i < len; i++) {
                vp = vp.add(v[i].multiply(p[i], mc), mc);
            }
            BigDecimal kk = beta.multiply(vp, mc).divide(two, mc);
            BigDecimal[] w = new BigDecimal[len];
            for (int i = 0; i < len; i++) {
                w[i] = p[i].subtract(kk.multiply(v[i], mc), mc);
            }
            IntStream.range(0, len).parallel().forEach(i -> {
                BigDecimal[] row = s[base + i];
                for (int j = 0; j <= i; j++) {
                    BigDecimal d = v[i].multiply(w[j]).add(w[i].multiply(v[j]));
                    row[base + j] = row[base + j].subtract(d, mc);
                }
            });
            b[k] = alpha;
            progress.set(k + 1);
        }
        progress.done();
        if (n >= 2) {
            a[n - 2] = s[n - 2][n - 2];
            b[n - 2] = s[n - 1][n - 2];
        }
        if (n >= 1) {
            a[n - 1] = s[n - 1][n - 1];
        }
        return new Tridiagonal(a, b);
    }

    /** The number of eigenvalues of T below μ (negative pivots of T − μI). */
    static int count(Tridiagonal t, BigDecimal[] b2, BigDecimal mu, BigDecimal tiny, MathContext mc) {
        int c = 0;
        BigDecimal d = BigDecimal.ONE;
        for (int k = 0; k < t.a.length; k++) {
            BigDecimal x = t.a[k].subtract(mu, mc);
            if (k > 0) {
                x = x.subtract(b2[k - 1].divide(d, mc), mc);
            }
            if (x.signum() == 0) {
                x = tiny;                               // a zero pivot: perturb by far below the target width
            }
            if (x.signum() < 0) {
                c++;
            }
            d = x;
        }
        return c;
    }

    /**
     * The eigenvalues of T, ascending, each located in a bracket of half-width at most
     * {@code relTol}·|λ| or {@code absTol}; {@code radius[i]} receives the half-width.
     */
    static BigDecimal[] bisect(Tridiagonal t, double[] seeds, BigDecimal relTol, BigDecimal absTol, MathContext mc,
                               BigDecimal[] radius, Progress progress) {
        int n = t.a.length;
        BigDecimal[] b2 = new BigDecimal[Math.max(n - 1, 0)];
        BigDecimal lo0 = null;
        BigDecimal hi0 = null;
        for (int k = 0; k < n; k++) {
            BigDecimal r = BigDecimal.ZERO;
            if (k > 0) {
                r = r.add(t.b[k - 1].abs());
            }
            if (k < n - 1) {
                r = r.add(t.b[k].abs());
                b2[k] = t.b[k].multiply(t.b[k], mc);
            }
            BigDecimal l = t.a[k].subtract(r, mc);
            BigDecimal h = t.a[k].add(r, mc);
            lo0 = lo0 == null || l.compareTo(lo0) < 0 ? l : lo0;
            hi0 = hi0 == null || h.compareTo(hi0) > 0 ? h : hi0;
        }
        if (n == 0) {
            return new BigDecimal[0];
        }
        BigDecimal scale = lo0.abs().max(hi0.abs()).max(BigDecimal.ONE.movePointLeft(300));
        BigDecimal tiny = scale.movePointLeft(mc.getPrecision() + 10);
        BigDecimal loG = lo0.subtract(scale.movePointLeft(20), mc);
        BigDecimal hiG = hi0.add(scale.movePointLeft(20), mc);
        BigDecimal half = new BigDecimal("0.5");
        BigDecimal[] out = new BigDecimal[n];
        AtomicLong done = new AtomicLong();
        progress.start("eigenvalues", n);
        IntStream.range(0, n).parallel().forEach(i -> {
            if (seeds != null && seeds.length == n && Double.isFinite(seeds[i])) {
                BigDecimal mu = newton(t, b2, new BigDecimal(seeds[i]), relTol, absTol, tiny, mc);
                if (mu != null) {
                    BigDecimal want = relTol.multiply(mu.abs(), mc).max(absTol);
                    if (count(t, b2, mu.subtract(want, mc), tiny, mc) <= i && count(t, b2, mu.add(want, mc), tiny, mc) > i) {
                        out[i] = mu;
                        radius[i] = want;
                        progress.set(done.incrementAndGet());
                        return;
                    }
                }
            }
            BigDecimal lo = loG;
            BigDecimal hi = hiG;
            if (seeds != null && seeds.length == n && Double.isFinite(seeds[i])) {
                BigDecimal g = new BigDecimal(seeds[i]);
                BigDecimal r = scale.multiply(new BigDecimal("1e-9"), mc);
                BigDecimal l = g.subtract(r, mc);
                BigDecimal h = g.add(r, mc);
                if (count(t, b2, l, tiny, mc) <= i && count(t, b2, h, tiny, mc) > i) {
                    lo = l;
                    hi = h;
                }
            }
            while (true) {
                BigDecimal width = hi.subtract(lo, mc);
                BigDecimal mag = lo.signum() * hi.signum() > 0 ? lo.abs().min(hi.abs()) : BigDecimal.ZERO;
                BigDecimal want = relTol.multiply(mag, mc).max(absTol);
                if (width.compareTo(want.add(want)) <= 0) {
                    break;
                }
                BigDecimal mid = lo.add(hi, mc).multiply(half, mc);
                if (mid.compareTo(lo) <= 0 || mid.compareTo(hi) >= 0) {
                    break;                                   // the working precision is exhausted
                }
                if (count(t, b2, mid, tiny, mc) <= i) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out[i] = lo.add(hi, mc).multiply(half, mc);
            radius[i] = hi.subtract(lo, mc).multiply(half, mc);
            progress.set(done.incrementAndGet());
        });
        progress.done();
        return out;
    }

    /**
     * Newton's iteration μ ← μ − p(μ)/p'(μ) on det(T − μI) from a seed, with
     * p'/p = Σ_k d_k'/d_k over the pivots d_k = a_k − μ − b_{k−1}²/d_{k−1}; null when it does not
     * settle within a few steps (then the caller bisects).
     */
    static BigDecimal newton(Tridiagonal t, BigDecimal[] b2, BigDecimal mu, BigDecimal relTol, BigDecimal absTol,
                             BigDecimal tiny, MathContext mc) {
        int n = t.a.length;
        for (int iter = 0; iter < 8; iter++) {
            BigDecimal d = BigDecimal.ONE;
            BigDecimal dd = BigDecimal.ZERO;
            BigDecimal ratio = BigDecimal.ZERO;
            for (int k = 0; k < n; k++) {
                BigDecimal x = t.a[k].subtract(mu, mc);
                BigDecimal xd = BigDecimal.ONE.negate();
                if (k > 0) {
                    BigDecimal q = b2[k - 1].divide(d, mc);
                    x = x.subtract(q, mc);
                    xd = xd.add(q.multiply(dd, mc).divide(d, mc), mc);
                }
                if (x.signum() == 0) {
                    x = tiny;
                }
                ratio = ratio.add(xd.divide(x, mc), mc);
                d = x;
                dd = xd;
            }
            if (ratio.signum() == 0) {
                return null;
            }
            BigDecimal step = BigDecimal.ONE.divide(ratio, mc);
            mu = mu.subtract(step, mc);
            BigDecimal want = relTol.multiply(mu.abs(), mc).max(absTol);
            if (step.abs().multiply(BigDecimal.valueOf(4)).compareTo(want) <= 0) {
                return mu;
            }
        }
        return null;
    }

    /** Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric matrix. */
    record Decomposition(BigDecimal[] values, BigDecimal[][] vectors, BigDecimal offNorm) {
    }

    /** Jacobi eigen-decomposition in precision {@code mc}, seeded by the double decomposition. */
    static Decomposition decompose(BigDecimal[][] m, MathContext mc) {
        int n = m.length;
        double[][] md = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                md[i][j] = m[i][j].doubleValue();
            }
        }
        EigenDecompositionSymmetric e = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(md, false));
        BigDecimal[][] v = new BigDecimal[n][n];
        for (int k = 0; k < n; k++) {
            double[] col = e.getEigenvector(k).toArray();
            for (int i = 0; i < n; i++) {
                v[i][k] = new BigDecimal(col[i]);
            }
        }
        gramSchmidt(v, mc);
        BigDecimal[][] b = multiply(transpose(v), multiply(m, v, mc), mc);
        BigDecimal norm = BigDecimal.ZERO;
        for (BigDecimal[] row : m) {
            for (BigDecimal x : row) {
                norm = norm.max(x.abs());
            }
        }
        BigDecimal target = norm.max(BigDecimal.ONE.movePointLeft(300)).movePointLeft(mc.getPrecision());
        BigDecimal off = offDiagonal(b);
        for (int sweep = 0; sweep < 30 && off.compareTo(target) > 0; sweep++) {
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (b[p][q].signum() != 0) {
                        rotate(b, v, p, q, mc);
                    }
                }
            }
            off = offDiagonal(b);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        BigDecimal[][] bb = b;
        Arrays.sort(order, Comparator.comparing(i -> bb[i][i]));
        BigDecimal[] values = new BigDecimal[n];
        BigDecimal[][] vec = new BigDecimal[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = b[order[k]][order[k]];
            for (int i = 0; i < n; i++) {
                vec[i][k] = v[i][order[k]];
            }
        }
        return new Decomposition(values, vec, off);
    }

    private static void rotate(BigDecimal[][] b, BigDecimal[][] v, int p, int q, MathContext mc) {
        int n = b.length;
        BigDecimal two = BigDecimal.valueOf(2);
        BigDecimal theta = b[q][q].subtract(b[p][p], mc).divide(two.multiply(b[p][q], mc), mc);
        BigDecimal root = theta.multiply(theta, mc).add(BigDecimal.ONE, mc).sqrt(mc);
        BigDecimal t = BigDecimal.ONE.divide(theta.abs().add(root, mc), mc);
        if (theta.signum() < 0) {
            t = t.negate();
        }
        BigDecimal c = BigDecimal.ONE.divide(t.multiply(t, mc).add(BigDecimal.ONE, mc).sqrt(mc), mc);
        BigDecimal s = t.multiply(c, mc);
        for (int k = 0; k < n; k++) {                   // B ← Jᵀ B J, columns then rows
            BigDecimal bkp = b[k][p];
            BigDecimal bkq = b[k][q];
            b[k][p] = c.multiply(bkp, mc).subtract(s.multiply(bkq, mc), mc);
            b[k][q] = s.multiply(bkp, mc).add(c.multiply(bkq, mc), mc);
        }
        for (int k = 0; k < n; k++) {
            BigDecimal bpk = b[p][k];
            BigDecimal bqk = b[q][k];
            b[p][k] = c.multiply(bpk, mc).subtract(s.multiply(bqk, mc), mc);
            b[q][k] = s.multiply(bpk, mc).add(c.multiply(bqk, mc), mc);
        }
        b[p][q] = BigDecimal.ZERO;
        b[q][p] = BigDecimal.ZERO;
        for (int k = 0; k < n; k++) {
            BigDecimal vkp = v[k][p];
            BigDecimal vkq = v[k][q];
            v[k][p] = c.multiply(vkp, mc).subtract(s.multiply(vkq, mc), mc);
            v[k][q] = s.multiply(vkp, mc).add(c.multiply(vkq, mc), mc);
        }
    }

    private static BigDecimal offDiagonal(BigDecimal[][] b) {
        BigDecimal off = BigDecimal.ZERO;
        for (int i = 0; i < b.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (i != j) {
                    off = off.max(b[i][j].abs());
                }
            }
        }
        return off;
    }

    /** Modified Gram–Schmidt on the columns of v, in place. */
    private static void gramSchmidt(BigDecimal[][] v, MathContext mc) {
        int n = v.length;
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < k; j++) {
                BigDecimal dot = BigDecimal.ZERO;
                for (int i = 0; i < n; i++) {
                    dot = dot.add(v[i][j].multiply(v[i][k], mc), mc);
                }
                for (int i = 0; i < n; i++) {
                    v[i][k] = v[i][k].subtract(dot.multiply(v[i][j], mc), mc);
                }
            }
            BigDecimal norm = BigDecimal.ZERO;
            for (int i = 0; i < n; i++) {
                norm = norm.add(v[i][k].multiply(v[i][k], mc), mc);
            }
            norm = norm.sqrt(mc);
            for (int i = 0; i < n; i++) {
                v[i][k] = v[i][k].divide(norm, mc);
            }
        }
    }

    static BigDecimal[][] transpose(BigDecimal[][] a) {
        int r = a.length;
        int c = r == 0 ? 0 : a[0].length;
        BigDecimal[][] t = new BigDecimal[c][r];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    static BigDecimal[][] multiply(BigDecimal[][] a, BigDecimal[][] b, MathContext mc) {
        int r = a.length;
        int inner = b.length;
        int c = inner == 0 ? 0 : b[0].length;
        BigDecimal[][] out = new BigDecimal[r][c];
        IntStream.range(0, r).parallel().forEach(i -> {
            for (int j = 0; j < c; j++) {
                BigDecimal acc = BigDecimal.ZERO;
                for (int k = 0; k < inner; k++) {
                    acc = acc.add(a[i][k].multiply(b[k][j]));
                }
                out[i][j] = acc.round(mc);
            }
        });
        return out;
    }
}
