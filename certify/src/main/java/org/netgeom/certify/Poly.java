package org.netgeom.certify;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A closed convex polytope in Q^k by its exact vertices (homogeneous integer coordinates
 * (x·w, w), w &gt; 0) and, for each vertex, the set of inequalities tight there. Cut by an
 * inequality h ≥ 0 by keeping the vertices with h ≥ 0 and adding the point h = 0 of every edge
 * that crosses it; two vertices span an edge iff no third vertex is tight on every inequality
 * tight at both (the combinatorial adjacency test, Fukuda &amp; Prodon 1996), so no tolerance and no
 * general-position assumption. Volume: an exact pulling triangulation (every face triangulated
 * from its first vertex over its facets not containing it; the facets of a face with vertex set
 * S are the sets S ∩ Z_c of the right affine dimension), the sum of |det|/k! of its simplices.
 */
final class Poly {
    final int k;
    final List<BigInteger[]> v;
    final List<BitSet> t;

    Poly(int k, List<BigInteger[]> v, List<BitSet> t) {
        this.k = k;
        this.v = v;
        this.t = t;
    }

    /** The box lo ≤ x ≤ hi (inequality 2j: x_j ≥ lo_j, 2j+1: x_j ≤ hi_j). */
    static Poly box(Q[] lo, Q[] hi) {
        int k = lo.length;
        BigInteger w = BigInteger.ONE;
        for (int j = 0; j < k; j++) {
            w = Net.lcm(Net.lcm(w, lo[j].d()), hi[j].d());
        }
        List<BigInteger[]> v = new ArrayList<>();
        List<BitSet> t = new ArrayList<>();
        for (int mask = 0; mask < 1 << k; mask++) {
            BigInteger[] p = new BigInteger[k + 1];
            BitSet z = new BitSet();
            for (int j = 0; j < k; j++) {
                Q q = (mask >> j & 1) == 0 ? lo[j] : hi[j];
                p[j] = q.n().multiply(w.divide(q.d()));
                z.set(2 * j + (mask >> j & 1));
            }
            p[k] = w;
            v.add(p);
            t.add(z);
        }
        return new Poly(k, v, t);
    }

    /** The unit roundoff 2^-53 doubled: the filter's error bound is (terms + 7)·2^-52·Σ|terms|. */
    private static final double FILTER = 0x1p-52;

    /** The doubles nearest to each vertex's homogeneous coordinates (correctly rounded), made on first use. */
    private double[][] dv;

    private double[][] doubles() {
        if (dv == null) {
            double[][] d = new double[v.size()][];
            for (int i = 0; i < d.length; i++) {
                d[i] = doubles(v.get(i));
            }
            dv = d;
        }
        return dv;
    }

    static double[] doubles(BigInteger[] h) {
        double[] d = new double[h.length];
        for (int j = 0; j < h.length; j++) {
            d[j] = h[j].doubleValue();
        }
        return d;
    }

    /**
     * The sign of h·p decided in float64, or 0 when the float value is too close to zero to be
     * sure (then the caller decides exactly). h and p are integer vectors and hd, pd their
     * correctly rounded doubles: each product of hd_j·pd_j carries a relative error of at most
     * (1 + u)³ − 1 &lt; 3.01u from the two conversions and the multiplication (u = 2^-53), and the
     * recursive sum of the m = h.length products adds at most γ_{m−1}·Σ|terms| (Higham 2002,
     * Eq. 3.5); so |fl(h·p) − h·p| ≤ (m + 3)·1.01·u·Σ|terms|, and the filter's (m + 7)·2u·Σ|terms|,
     * taken of the computed Σ|terms|, bounds it with a margin over two. Integers are 0 or ≥ 1 in
     * magnitude, so no product underflows; an infinite or huge sum (≥ 2^1000) is left to exact
     * arithmetic.
     */
    static int filteredSign(double[] hd, double[] pd) {
        double s = 0;
        double m = 0;
        for (int j = 0; j < hd.length; j++) {
            double t = hd[j] * pd[j];
            s += t;
            m += Math.abs(t);
        }
        if (!(m < 0x1p1000)) {
            return 0;
        }
        double err = (hd.length + 7) * FILTER * m;
        return s > err ? 1 : s < -err ? -1 : 0;
    }

    /** The exact sign of h·p (float filter, exact fallback). */
    static int sign(BigInteger[] h, BigInteger[] p) {
        int f = filteredSign(doubles(h), doubles(p));
        return f != 0 ? f : dot(h, p).signum();
    }

    static BigInteger dot(BigInteger[] h, BigInteger[] p) {
        BigInteger s = BigInteger.ZERO;
        for (int j = 0; j < h.length; j++) {
            if (h[j].signum() != 0) {
                s = s.add(h[j].multiply(p[j]));
            }
        }
        return s;
    }

    /** This polytope ∩ {h ≥ 0}, h = (coefficients, constant); the new inequality is number idx. */
    Poly cut(BigInteger[] h, int idx) {
        int n = v.size();
        // every vertex strictly inside (decided by the exact filter): the cut changes nothing
        double[] hd = doubles(h);
        double[][] d = doubles();
        boolean inside = true;
        for (int i = 0; i < n && inside; i++) {
            inside = filteredSign(hd, d[i]) > 0;
        }
        if (inside) {
            return this;
        }
        int[] s = new int[n];
        BigInteger[] val = new BigInteger[n];
        boolean anyNeg = false;
        for (int i = 0; i < n; i++) {
            val[i] = dot(h, v.get(i));
            s[i] = val[i].signum();
            anyNeg |= s[i] < 0;
        }
        List<BigInteger[]> nv = new ArrayList<>();
        List<BitSet> nt = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (s[i] > 0) {
                nv.add(v.get(i));
                nt.add(t.get(i));
            } else if (s[i] == 0) {
                BitSet z = (BitSet) t.get(i).clone();
                z.set(idx);
                nv.add(v.get(i));
                nt.add(z);
            }
        }
        if (!anyNeg) {
            return new Poly(k, nv, nt);
        }
        for (int a = 0; a < n; a++) {
            if (s[a] <= 0) {
                continue;
            }
            for (int b = 0; b < n; b++) {
                if (s[b] >= 0) {
                    continue;
                }
                BitSet common = (BitSet) t.get(a).clone();
                common.and(t.get(b));
                if (!edge(common, a, b)) {
                    continue;
                }
                BigInteger[] p = new BigInteger[k + 1];
                BigInteger g = BigInteger.ZERO;
                for (int j = 0; j <= k; j++) {      // val_a·V_b − val_b·V_a: on h = 0, weight > 0
                    p[j] = val[a].multiply(v.get(b)[j]).subtract(val[b].multiply(v.get(a)[j]));
                    g = g.gcd(p[j]);
                }
                for (int j = 0; j <= k; j++) {
                    p[j] = p[j].divide(g);
                }
                common.set(idx);
                nv.add(p);
                nt.add(common);
            }
        }
        return new Poly(k, nv, nt);
    }

    private boolean edge(BitSet common, int a, int b) {
        for (int u = 0; u < v.size(); u++) {
            if (u != a && u != b) {
                BitSet c = (BitSet) common.clone();
                c.andNot(t.get(u));
                if (c.isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The rank of a set of homogeneous vertices (affine dimension + 1). */
    int rank(BitSet set) {
        List<BigInteger[]> rows = new ArrayList<>();
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            rows.add(v.get(i).clone());
        }
        int r = 0;
        for (int col = 0; col <= k && r < rows.size(); col++) {
            int piv = -1;
            for (int i = r; i < rows.size(); i++) {
                if (rows.get(i)[col].signum() != 0) {
                    piv = i;
                    break;
                }
            }
            if (piv < 0) {
                continue;
            }
            BigInteger[] p = rows.get(piv);
            rows.set(piv, rows.get(r));
            rows.set(r, p);
            for (int i = r + 1; i < rows.size(); i++) {
                BigInteger[] q = rows.get(i);
                BigInteger f = q[col];
                if (f.signum() != 0) {
                    for (int j = 0; j <= k; j++) {
                        q[j] = q[j].multiply(p[col]).subtract(p[j].multiply(f));
                    }
                }
            }
            r++;
        }
        return r;
    }

    /** The exact k-dimensional volume (0 for an empty or flat polytope). */
    Q volume() {
        if (v.isEmpty()) {
            return Q.ZERO;
        }
        BitSet all = new BitSet();
        all.set(0, v.size());
        if (rank(all) < k + 1) {
            return Q.ZERO;
        }
        Map<Integer, BitSet> byIneq = new HashMap<>();
        for (int i = 0; i < v.size(); i++) {
            for (int c = t.get(i).nextSetBit(0); c >= 0; c = t.get(i).nextSetBit(c + 1)) {
                byIneq.computeIfAbsent(c, x -> new BitSet()).set(i);
            }
        }
        Q[] acc = {Q.ZERO};
        pull(all, k, new int[k + 1], 0, new ArrayList<>(byIneq.values()), acc);
        BigInteger fact = BigInteger.ONE;
        for (int i = 2; i <= k; i++) {
            fact = fact.multiply(BigInteger.valueOf(i));
        }
        return acc[0].div(Q.of(fact, BigInteger.ONE));
    }

    private void pull(BitSet face, int dim, int[] chain, int depth, List<BitSet> ineqs, Q[] acc) {
        int v0 = face.nextSetBit(0);
        chain[depth] = v0;
        if (dim == 0) {
            BigInteger[][] m = new BigInteger[k + 1][];
            BigInteger w = BigInteger.ONE;
            for (int i = 0; i <= k; i++) {
                m[i] = v.get(chain[i]).clone();
                w = w.multiply(m[i][k]);
            }
            acc[0] = acc[0].add(Q.of(det(m).abs(), w));
            return;
        }
        Set<BitSet> seen = new HashSet<>();
        for (BitSet z : ineqs) {
            BitSet f = (BitSet) face.clone();
            f.and(z);
            if (f.isEmpty() || f.get(v0) || f.equals(face) || !seen.add(f) || rank(f) != dim) {
                continue;
            }
            pull(f, dim - 1, chain, depth + 1, ineqs, acc);
        }
    }

    /** Bareiss' fraction-free determinant. */
    static BigInteger det(BigInteger[][] m) {
        int n = m.length;
        BigInteger prev = BigInteger.ONE;
        int sign = 1;
        for (int c = 0; c < n - 1; c++) {
            if (m[c][c].signum() == 0) {
                int r = c + 1;
                while (r < n && m[r][c].signum() == 0) {
                    r++;
                }
                if (r == n) {
                    return BigInteger.ZERO;
                }
                BigInteger[] tmp = m[r];
                m[r] = m[c];
                m[c] = tmp;
                sign = -sign;
            }
            for (int i = c + 1; i < n; i++) {
                for (int j = c + 1; j < n; j++) {
                    m[i][j] = m[i][j].multiply(m[c][c]).subtract(m[i][c].multiply(m[c][j])).divide(prev);
                }
            }
            prev = m[c][c];
        }
        return sign > 0 ? m[n - 1][n - 1] : m[n - 1][n - 1].negate();
    }
}
