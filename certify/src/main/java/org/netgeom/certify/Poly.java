package org.netgeom.certify;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
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
    /** The vertices; for k = 2 in counter-clockwise order. */
    final List<Z> v;
    /** For each vertex, the inequalities tight there. */
    final List<BitSet> t;
    /** h[c]: inequality c ≥ 0 as an integer form (coefficients, constant); null for one no vertex is tight on. */
    final Z[] h;

    Poly(int k, List<Z> v, List<BitSet> t, Z[] h) {
        this.k = k;
        this.v = v;
        this.t = t;
        this.h = h;
    }

    /** The box lo ≤ x ≤ hi (inequality 2j: x_j ≥ lo_j, 2j+1: x_j ≤ hi_j). */
    static Poly box(Q[] lo, Q[] hi) {
        int k = lo.length;
        BigInteger w = BigInteger.ONE;
        Z[] h = new Z[2 * k];
        for (int j = 0; j < k; j++) {
            w = Net.lcm(Net.lcm(w, lo[j].d()), hi[j].d());
            h[2 * j] = unit(k, j, lo[j], true);
            h[2 * j + 1] = unit(k, j, hi[j], false);
        }
        List<Z> v = new ArrayList<>();
        List<BitSet> t = new ArrayList<>();
        for (int m = 0; m < 1 << k; m++) {
            int mask = k == 2 && m >= 2 ? 5 - m : m;       // in the plane (lo, lo), (hi, lo), (hi, hi), (lo, hi): counter-clockwise
            BigInteger[] p = new BigInteger[k + 1];
            BitSet z = new BitSet();
            for (int j = 0; j < k; j++) {
                Q q = (mask >> j & 1) == 0 ? lo[j] : hi[j];
                p[j] = q.n().multiply(w.divide(q.d()));
                z.set(2 * j + (mask >> j & 1));
            }
            p[k] = w;
            v.add(Z.of(p));
            t.add(z);
        }
        return new Poly(k, v, t, h);
    }

    /** u_j − lo ≥ 0 (lower) or hi − u_j ≥ 0, as an integer form. */
    private static Z unit(int k, int j, Q c, boolean lower) {
        BigInteger[] f = new BigInteger[k + 1];
        Arrays.fill(f, BigInteger.ZERO);
        f[j] = lower ? c.d() : c.d().negate();
        f[k] = lower ? c.n().negate() : c.n();
        return Z.of(f);
    }

    /**
     * This polytope ∩ {hz ≥ 0}, hz = (coefficients, constant); the new inequality is number idx. In
     * the plane the edges are the consecutive vertices of the cycle and a new vertex is the meeting
     * point of the edge's line with hz = 0 (Sutherland &amp; Hodgman 1974); in k dimensions edges are
     * found by the combinatorial test.
     */
    Poly cut(Z hz, int idx) {
        int n = v.size();
        int[] s = new int[n];
        boolean touched = false;
        for (int i = 0; i < n; i++) {
            s[i] = Z.dotSign(hz, v.get(i));
            touched |= s[i] <= 0;
        }
        if (!touched) {
            return this;
        }
        Z[] nh = Arrays.copyOf(h, Math.max(h.length, idx + 1));
        nh[idx] = hz;
        List<Z> nv = new ArrayList<>();
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
            int j = (i + 1) % n;
            if (k == 2 && (n > 2 || i == 0 && n == 2) && s[i] * s[j] < 0) {
                BitSet common = (BitSet) t.get(i).clone();
                common.and(t.get(j));
                nv.add(Z.meet(h[common.nextSetBit(0)], hz));   // every inequality tight at both ends is the edge's line
                common.set(idx);
                nt.add(common);
            }
        }
        if (k == 2) {
            return new Poly(k, nv, nt, nh);
        }
        BigInteger[] val = new BigInteger[n];
        for (int i = 0; i < n; i++) {
            val[i] = s[i] == 0 ? BigInteger.ZERO : Z.dot(hz, v.get(i));
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
                BigInteger[] va = v.get(a).big();
                BigInteger[] vb = v.get(b).big();
                for (int j = 0; j <= k; j++) {      // val_a·V_b − val_b·V_a: on h = 0, weight > 0
                    p[j] = val[a].multiply(vb[j]).subtract(val[b].multiply(va[j]));
                }
                common.set(idx);
                nv.add(Z.of(p).primitive());
                nt.add(common);
            }
        }
        return new Poly(k, nv, nt, nh);
    }

    /**
     * Whether x (homogeneous) lies strictly inside every edge line of this polygon (k = 2, three or more
     * vertices; false otherwise), i.e. in its interior: then every inequality that is ≥ 0 on it is
     * &gt; 0 at x, since a non-constant affine form vanishing at an interior point is negative nearby.
     */
    boolean interior(Z x) {
        int n = v.size();
        for (int i = 0; i < n && k == 2 && n > 2; i++) {
            BitSet a = t.get(i);
            BitSet b = t.get((i + 1) % n);
            int c = a.nextSetBit(0);
            while (c >= 0 && !b.get(c)) {
                c = a.nextSetBit(c + 1);
            }
            if (Z.dotSign(h[c], x) <= 0) {
                return false;
            }
        }
        return k == 2 && n > 2;
    }

    /**
     * Whether vertices a and b span an edge: no third vertex is tight on every inequality in {@code common} (those
     * tight at both). An edge lies on at least k − 1 facets tight at both ends, so fewer cannot span one.
     */
    private boolean edge(BitSet common, int a, int b) {
        if (common.cardinality() < k - 1) {
            return false;
        }
        for (int u = 0; u < v.size(); u++) {
            if (u != a && u != b && subset(common, t.get(u))) {
                return false;
            }
        }
        return true;
    }

    /** c ⊆ s. */
    private static boolean subset(BitSet c, BitSet s) {
        for (int i = c.nextSetBit(0); i >= 0; i = c.nextSetBit(i + 1)) {
            if (!s.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** The rank of a set of homogeneous vertices (affine dimension + 1). */
    int rank(BitSet set) {
        List<BigInteger[]> rows = new ArrayList<>();
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            rows.add(v.get(i).big().clone());
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

    private static final long P = 2147483647L;        // 2^31 − 1, prime: products of residues fit in a long

    /** The rank mod P of a set of homogeneous vertices: at most their rank (Gaussian elimination over GF(P)). */
    int rankModP(BitSet set) {
        int m = set.cardinality();
        long[][] rows = new long[m][k + 1];
        int r0 = 0;
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            Z z = v.get(i);
            for (int j = 0; j <= k; j++) {
                rows[r0][j] = z.l != null ? Math.floorMod(z.l[j], P) : z.get(j).mod(BigInteger.valueOf(P)).longValue();
            }
            r0++;
        }
        int r = 0;
        for (int col = 0; col <= k && r < m; col++) {
            int piv = -1;
            for (int i = r; i < m; i++) {
                if (rows[i][col] != 0) {
                    piv = i;
                    break;
                }
            }
            if (piv < 0) {
                continue;
            }
            long[] p = rows[piv];
            rows[piv] = rows[r];
            rows[r] = p;
            long inv = inverseModP(p[col]);
            for (int i = r + 1; i < m; i++) {
                long[] q = rows[i];
                if (q[col] != 0) {
                    long f = q[col] * inv % P;
                    for (int j = col; j <= k; j++) {
                        q[j] = Math.floorMod(q[j] - f * p[j] % P, P);
                    }
                }
            }
            r++;
        }
        return r;
    }

    /** a⁻¹ mod P for 0 &lt; a &lt; P, by the extended Euclidean algorithm in longs. */
    static long inverseModP(long a) {
        long r0 = P;
        long r1 = a;
        long t0 = 0;
        long t1 = 1;
        while (r1 != 0) {
            long q = r0 / r1;
            long r = r0 - q * r1;
            r0 = r1;
            r1 = r;
            long t = t0 - q * t1;
            t0 = t1;
            t1 = t;
        }
        return Math.floorMod(t0, P);
    }

    /** The exact k-dimensional volume (0 for an empty or flat polytope). */
    Q volume() {
        if (v.isEmpty()) {
            return Q.ZERO;
        }
        if (k == 2) {
            Edges e = new Edges();
            e.add(v.stream().map(Z::primitive).toList());
            return e.area();
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
        // one common denominator for the region: W = Π_v w_v over its vertices (the simplices' vertices are
        // distinct, so each simplex's Π w_i divides W); the simplices' |det| are summed as integers over it
        BigInteger[] w = new BigInteger[v.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = v.get(i).get(k);
        }
        BigInteger[] acc = {BigInteger.ZERO};
        pull(all, k, new int[k + 1], 0, new ArrayList<>(byIneq.values()), w, acc);
        BigInteger den = BigInteger.ONE;
        for (BigInteger x : w) {
            den = den.multiply(x);
        }
        for (int i = 2; i <= k; i++) {
            den = den.multiply(BigInteger.valueOf(i));
        }
        return Q.of(acc[0], den);
    }

    /** Adds |det| · Π_{v ∉ simplex} w_v for every simplex of the pulling triangulation of {@code face}. */
    private void pull(BitSet face, int dim, int[] chain, int depth, List<BitSet> ineqs, BigInteger[] w, BigInteger[] acc) {
        int v0 = face.nextSetBit(0);
        chain[depth] = v0;
        if (dim == 0) {
            BigInteger[][] m = new BigInteger[k + 1][];
            BitSet in = new BitSet();
            for (int i = 0; i <= k; i++) {
                m[i] = v.get(chain[i]).big().clone();
                in.set(chain[i]);
            }
            BigInteger d = det(m).abs();
            if (d.signum() != 0) {
                for (int i = 0; i < w.length; i++) {
                    if (!in.get(i)) {
                        d = d.multiply(w[i]);
                    }
                }
                acc[0] = acc[0].add(d);
            }
            return;
        }
        Set<BitSet> seen = new HashSet<>();
        for (BitSet z : ineqs) {
            BitSet f = (BitSet) face.clone();
            f.and(z);
            // rank(f) ≤ dim always (f lies in the face and on a hyperplane that misses v0), so rank(f) = dim iff
            // rank(f) ≥ dim; a rank mod p is a lower bound (a minor non-zero mod p is non-zero), decided exactly only below dim
            if (f.isEmpty() || f.get(v0) || f.equals(face) || f.cardinality() < dim || !seen.add(f)
                    || rankModP(f) < dim && rank(f) != dim) {
                continue;
            }
            pull(f, dim - 1, chain, depth + 1, ineqs, w, acc);
        }
    }

    /**
     * Areas in the plane by the shoelace formula, summed over many counter-clockwise polygons at
     * once: area = Σ over directed edges (p, q) of (x_p·y_q − x_q·y_p)/2, and an edge's term
     * cancels exactly against that of the same edge traversed the other way (a neighbour's), so
     * only the edges left over are summed in rationals.
     */
    static final class Edges {
        private record Edge(Z from, Z to, int hash) {
            Edge(Z from, Z to) {
                this(from, to, 31 * from.hashCode() + to.hashCode());
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Edge e && hash == e.hash && from.equals(e.from) && to.equals(e.to);
            }

            @Override
            public int hashCode() {
                return hash;
            }
        }

        /** Each undirected edge once, oriented by the keys' order: the times it is traversed that way minus the other way. */
        private final Map<Edge, Integer> count = new HashMap<>();

        /** A polygon's counter-clockwise vertex cycle, each vertex primitive (so that equal points have equal keys). */
        void add(List<Z> cycle) {
            int n = cycle.size();
            for (int i = 0; i < n; i++) {
                Z a = cycle.get(i);
                Z b = cycle.get((i + 1) % n);
                boolean forward = a.hashCode() < b.hashCode() || a.hashCode() == b.hashCode() && a.toString().compareTo(b.toString()) < 0;
                count.merge(forward ? new Edge(a, b) : new Edge(b, a), forward ? 1 : -1, (x, y) -> x + y == 0 ? null : x + y);
            }
        }

        /** Adds another sum's edges (the polygons it was given, as if they had been added here). */
        void addAll(Edges o) {
            o.count.forEach((e, c) -> count.merge(e, c, (x, y) -> x + y == 0 ? null : x + y));
        }

        Q area() {
            BigInteger num = BigInteger.ZERO;
            BigInteger den = BigInteger.ONE;        // reduced once, at the end
            for (Map.Entry<Edge, Integer> e : count.entrySet()) {
                BigInteger[] p = e.getKey().from.big();
                BigInteger[] q = e.getKey().to.big();
                BigInteger cross = p[0].multiply(q[1]).subtract(q[0].multiply(p[1])).multiply(BigInteger.valueOf(e.getValue()));
                BigInteger d = p[2].multiply(q[2]);
                num = num.multiply(d).add(cross.multiply(den));
                den = den.multiply(d);
            }
            return Q.of(num, den.shiftLeft(1));
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
