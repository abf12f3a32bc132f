package org.netgeom.symbolic.regions;

import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TEST REFERENCE, independent of the engine: decides whether a system of STRICT inequalities
 * a·u + c &gt; 0 (rows [a_1..a_k, c]) has a solution strictly inside the box lo &lt; u &lt; hi.
 * Two algorithms, neither shared with the engine: Fourier–Motzkin elimination (k ≤ 2), and a
 * textbook two-phase primal simplex (Bland's rule) on u = lo + v, v ≥ 0, maximising a margin
 * t = t⁺ − t⁻ (any k). The engine instead solves the dual in standard form and works on
 * vertices; agreement of the two is the test.
 */
final class RefLp {
    private RefLp() {
    }

    static boolean feasible(List<Rational[]> ineq, Rational[] lo, Rational[] hi) {
        int k = lo.length;
        List<Rational[]> all = new ArrayList<>(ineq);
        for (int j = 0; j < k; j++) {
            Rational[] a = new Rational[k + 1];
            Rational[] b = new Rational[k + 1];
            Arrays.fill(a, Rational.ZERO);
            Arrays.fill(b, Rational.ZERO);
            a[j] = Rational.ONE;
            a[k] = lo[j].negate();
            b[j] = Rational.MINUS_ONE;
            b[k] = hi[j];
            all.add(a);
            all.add(b);
        }
        return k <= 2 ? fourierMotzkin(all, k) : simplex(ineq, lo, hi);
    }

    /** Fourier–Motzkin elimination of all variables from a strict system. */
    static boolean fourierMotzkin(List<Rational[]> rows, int k) {
        List<Rational[]> cur = rows;
        for (int j = 0; j < k; j++) {
            List<Rational[]> pos = new ArrayList<>();
            List<Rational[]> neg = new ArrayList<>();
            List<Rational[]> next = new ArrayList<>();
            for (Rational[] r : cur) {
                int s = r[j].signum();
                (s > 0 ? pos : s < 0 ? neg : next).add(r);
            }
            for (Rational[] p : pos) {
                for (Rational[] n : neg) {
                    Rational fp = n[j].negate();     // > 0
                    Rational fn = p[j];              // > 0
                    Rational[] c = new Rational[k + 1];
                    for (int q = 0; q <= k; q++) {
                        c[q] = p[q].multiply(fp).add(n[q].multiply(fn));
                    }
                    next.add(c);
                }
            }
            cur = next;
        }
        for (Rational[] r : cur) {
            if (r[k].signum() <= 0) {
                return false;
            }
        }
        return true;
    }

    /** max t s.t. a·(lo + v) + c ≥ t, v_j ≥ t, hi_j − lo_j − v_j ≥ t, t ≤ 1; feasible iff t* &gt; 0. */
    static boolean simplex(List<Rational[]> ineq, Rational[] lo, Rational[] hi) {
        int k = lo.length;
        // variables: v_0..v_{k-1}, tp, tm ; rows: (coeffs) . x <= b
        List<Rational[]> a = new ArrayList<>();
        List<Rational> b = new ArrayList<>();
        for (Rational[] r : ineq) {
            Rational[] row = new Rational[k + 2];
            Rational rhs = r[k];
            for (int j = 0; j < k; j++) {
                row[j] = r[j].negate();
                rhs = rhs.add(r[j].multiply(lo[j]));
            }
            row[k] = Rational.ONE;
            row[k + 1] = Rational.MINUS_ONE;
            a.add(row);
            b.add(rhs);
        }
        for (int j = 0; j < k; j++) {
            Rational[] up = new Rational[k + 2];
            Rational[] dn = new Rational[k + 2];
            Arrays.fill(up, Rational.ZERO);
            Arrays.fill(dn, Rational.ZERO);
            up[j] = Rational.ONE;
            up[k] = Rational.ONE;
            up[k + 1] = Rational.MINUS_ONE;
            a.add(up);
            b.add(hi[j].subtract(lo[j]));
            dn[j] = Rational.MINUS_ONE;
            dn[k] = Rational.ONE;
            dn[k + 1] = Rational.MINUS_ONE;
            a.add(dn);
            b.add(Rational.ZERO);
        }
        Rational[] cap = new Rational[k + 2];
        Arrays.fill(cap, Rational.ZERO);
        cap[k] = Rational.ONE;
        cap[k + 1] = Rational.MINUS_ONE;
        a.add(cap);
        b.add(Rational.ONE);
        Rational[] obj = new Rational[k + 2];
        Arrays.fill(obj, Rational.ZERO);
        obj[k] = Rational.ONE;
        obj[k + 1] = Rational.MINUS_ONE;
        Rational best = maximize(a, b, obj);
        return best != null && best.signum() > 0;
    }

    /**
     * Textbook two-phase primal simplex: max obj·x s.t. A x ≤ b, x ≥ 0. Slacks s ≥ 0; rows with
     * b &lt; 0 are negated and get an artificial. Returns the optimum, or null when infeasible.
     */
    static Rational maximize(List<Rational[]> A, List<Rational> b, Rational[] obj) {
        int m = A.size();
        int n = obj.length;
        int art = 0;
        for (Rational q : b) {
            if (q.signum() < 0) {
                art++;
            }
        }
        int cols = n + m + art;
        Rational[][] t = new Rational[m][cols + 1];
        int[] basis = new int[m];
        int a = 0;
        for (int i = 0; i < m; i++) {
            boolean neg = b.get(i).signum() < 0;
            Arrays.fill(t[i], Rational.ZERO);
            for (int j = 0; j < n; j++) {
                t[i][j] = neg ? A.get(i)[j].negate() : A.get(i)[j];
            }
            t[i][n + i] = neg ? Rational.MINUS_ONE : Rational.ONE;
            t[i][cols] = neg ? b.get(i).negate() : b.get(i);
            if (neg) {
                t[i][n + m + a] = Rational.ONE;
                basis[i] = n + m + a;
                a++;
            } else {
                basis[i] = n + i;
            }
        }
        if (art > 0) {
            Rational[] c1 = new Rational[cols];
            Arrays.fill(c1, Rational.ZERO);
            for (int j = n + m; j < cols; j++) {
                c1[j] = Rational.MINUS_ONE;            // maximise -sum(artificials)
            }
            iterate(t, basis, c1, cols);
            Rational v = Rational.ZERO;
            for (int i = 0; i < m; i++) {
                v = v.add(c1[basis[i]].multiply(t[i][cols]));
            }
            if (v.signum() < 0) {
                return null;
            }
            for (int i = 0; i < m; i++) {             // pivot remaining (zero) artificials out
                if (basis[i] >= n + m) {
                    for (int j = 0; j < n + m; j++) {
                        if (!t[i][j].isZero()) {
                            pivot(t, basis, i, j);
                            break;
                        }
                    }
                }
            }
        }
        Rational[] c2 = new Rational[cols];
        Arrays.fill(c2, Rational.ZERO);
        System.arraycopy(obj, 0, c2, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = n + m; j < cols; j++) {
                t[i][j] = Rational.ZERO;              // artificials may not re-enter
            }
        }
        iterate(t, basis, c2, n + m);
        Rational v = Rational.ZERO;
        for (int i = 0; i < m; i++) {
            v = v.add(c2[basis[i]].multiply(t[i][cols]));
        }
        return v;
    }

    private static void iterate(Rational[][] t, int[] basis, Rational[] c, int limit) {
        int m = t.length;
        int rhs = t[0].length - 1;
        while (true) {
            int e = -1;
            for (int j = 0; j < limit && e < 0; j++) {
                Rational red = c[j];
                for (int i = 0; i < m; i++) {
                    red = red.subtract(c[basis[i]].multiply(t[i][j]));
                }
                boolean basic = false;
                for (int i = 0; i < m; i++) {
                    basic |= basis[i] == j;
                }
                if (!basic && red.signum() > 0) {
                    e = j;
                }
            }
            if (e < 0) {
                return;
            }
            int r = -1;
            Rational best = null;
            for (int i = 0; i < m; i++) {
                if (t[i][e].signum() > 0) {
                    Rational q = t[i][rhs].divide(t[i][e]);
                    if (best == null || q.compareTo(best) < 0 || (q.compareTo(best) == 0 && basis[i] < basis[r])) {
                        best = q;
                        r = i;
                    }
                }
            }
            if (r < 0) {
                throw new IllegalStateException("unbounded: the reference LP is bounded by construction");
            }
            pivot(t, basis, r, e);
        }
    }

    private static void pivot(Rational[][] t, int[] basis, int r, int e) {
        Rational p = t[r][e];
        for (int j = 0; j < t[r].length; j++) {
            t[r][j] = t[r][j].divide(p);
        }
        for (int i = 0; i < t.length; i++) {
            if (i != r && !t[i][e].isZero()) {
                Rational f = t[i][e];
                for (int j = 0; j < t[i].length; j++) {
                    t[i][j] = t[i][j].subtract(f.multiply(t[r][j]));
                }
            }
        }
        basis[r] = e;
    }
}
