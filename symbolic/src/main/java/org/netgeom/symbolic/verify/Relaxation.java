package org.netgeom.symbolic.verify;

import org.netgeom.ir.Rational;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sound bounds of a compiled network ({@link Graph}) over an input box, with some units fixed to
 * one phase (the branches of {@link BranchAndBound}): interval bound propagation (IBP; Gowal et
 * al. 2018, "On the effectiveness of interval bound propagation") and CROWN (Zhang et al. 2018,
 * "Efficient neural network robustness certification with general activation functions",
 * Theorem 3.2: the output is bounded by linear functions of the input obtained by propagating
 * linear upper/lower relaxations of each activation backwards, f ≤ Λ x + c, concretised over the
 * box). For a unit with pre-activation bounds l &lt; 0 &lt; u of a convex piecewise-linear
 * activation φ(z) = pos·z (z &gt; 0), neg·z (z &lt; 0) (relu, leaky relu, abs) the upper line is
 * the chord through (l, φ(l)) and (u, φ(u)), the lower line the adaptive one of Zhang et al.
 * (slope pos if u ≥ −l, else neg: the smaller-area choice, the same as DeepPoly, Singh et al.
 * 2019, Theorem 4.2, so DeepPoly's back-substitution gives the same bounds and is not a separate
 * method; for a concave φ the roles swap). Max pooling: max ≥ z_e (e the largest lower bound),
 * max ≤ max_e u_e, or exact when one entry dominates its window.
 *
 * <p>Soundness in floating point: every double is an outward bound of the exact rational
 * quantity. Interval ends and line intercepts are rounded outward with {@link Math#nextUp} /
 * {@link Math#nextDown}; the rounding error of every matrix product Λ·W (and the error of W's
 * nearest doubles) is bounded by κ·Σ|Λ||W|·M, with κ = (N + 8)·2⁻⁵² for sums of N terms and M the
 * magnitude bound of the variable, and added to the constant; so the returned bounds contain
 * every exact value of the network on the box (and on the subset where the fixed units have
 * their phase).
 */
public final class Relaxation {
    /** The relaxation used for pre-activation bounds. */
    public enum Method { IBP, CROWN }

    private static final double TINY = 1e-290;

    private final Graph g;
    private final Method method;
    private final double[] inLo;
    private final double[] inHi;
    private final int[] fix;
    private final Relaxation parent;
    private final boolean intermediate;
    /** The search's relaxation: only undecided units are back-substituted. */
    private final boolean search;

    /** Bounds of every buffer. */
    final double[][] lo;
    final double[][] hi;
    /** Per Act op index: the unit lines (slopes and intercepts), set when the op's input bounds are final. */
    private final Map<Integer, double[][]> lines = new HashMap<>();
    /** Per unit: the decided phase (0/1 for sign units, the winner for argmax), or −1 when unstable. */
    final int[] phase;
    boolean infeasible;

    /**
     * Bounds over the box [inLo, inHi] (doubles that enclose the exact box) with unit u fixed to
     * phase fix[u] (−1: free); fix may be null. The method as its paper defines it (IBP; CROWN with
     * its back-substituted intermediate bounds, and IBP's where tighter): what {@code range
     * --compare} reports.
     */
    public Relaxation(Graph g, Method method, double[] inLo, double[] inHi, int[] fix) {
        this(g, method, inLo, inHi, fix, null, true, false);
    }

    /**
     * The search's bounds of a node. {@code parent}: the parent node's relaxation (null at the
     * root); the node's set is a subset of the parent's box with the parent's fixed units fixed alike
     * (and possibly more), so every bound the parent proved holds here too and is intersected with
     * this node's own (a unit the parent decided stays decided, and its rows are not back-substituted
     * again). {@code intermediate} false (CROWN only): the pre-activation bounds are IBP's and the
     * parent's, without CROWN's back-substitution per unit, a cheap first bound; the output is still
     * bounded by CROWN.
     */
    Relaxation(Graph g, Method method, double[] inLo, double[] inHi, int[] fix, Relaxation parent, boolean intermediate) {
        this(g, method, inLo, inHi, fix, parent, intermediate, true);
    }

    private Relaxation(Graph g, Method method, double[] inLo, double[] inHi, int[] fix, Relaxation parent, boolean intermediate,
                       boolean search) {
        this.g = g;
        this.search = search;
        this.intermediate = intermediate;
        this.parent = parent == null || parent.infeasible ? null : parent;
        this.method = method;
        this.inLo = inLo;
        this.inHi = inHi;
        this.fix = fix;
        this.lo = new double[g.buffers()][];
        this.hi = new double[g.buffers()][];
        this.phase = new int[g.units()];
        lo[0] = inLo.clone();
        hi[0] = inHi.clone();
        run();
    }

    static double up(double x) {
        return Math.nextUp(x);
    }

    static double dn(double x) {
        return Math.nextDown(x);
    }

    /** True when the fixed phases contradict the bounds (the node's set is empty). */
    public boolean infeasible() {
        return infeasible;
    }

    /** Lower bounds of the network's output. */
    public double[] outputLower() {
        return lo[g.output()].clone();
    }

    public double[] outputUpper() {
        return hi[g.output()].clone();
    }

    /** The phase of unit u decided by fixing or by the bounds, −1 when the unit is unstable. */
    public int phase(int u) {
        return phase[u];
    }

    private void run() {
        List<Graph.Op> ops = g.ops();
        for (int k = 0; k < ops.size() && !infeasible; k++) {
            Graph.Op op = ops.get(k);
            if (op instanceof Graph.Aff a) {
                affine(a);
                meet(a.dst());
            } else if (op instanceof Graph.Sum s) {
                int n = g.size(s.dst());
                lo[s.dst()] = new double[n];
                hi[s.dst()] = new double[n];
                for (int i = 0; i < n; i++) {
                    lo[s.dst()][i] = dn(lo[s.a()][i] + lo[s.b()][i]);
                    hi[s.dst()][i] = up(hi[s.a()][i] + hi[s.b()][i]);
                }
                meet(s.dst());
            } else if (op instanceof Graph.Cat c) {
                lo[c.dst()] = concat(lo[c.a()], lo[c.b()]);
                hi[c.dst()] = concat(hi[c.a()], hi[c.b()]);
                meet(c.dst());
            } else if (op instanceof Graph.Act a) {
                if (method == Method.CROWN && intermediate) {
                    tighten(a.src(), k);
                }
                activation(a, k);
            } else if (op instanceof Graph.Max m) {
                if (method == Method.CROWN && intermediate) {
                    tighten(m.src(), k);
                }
                maxpool(m);
            }
        }
    }

    /** Intersects buffer b's bounds with the parent's (valid here: this node's set is a subset of the parent's). */
    private void meet(int b) {
        if (parent == null) {
            return;
        }
        double[] pl = parent.lo[b];
        double[] ph = parent.hi[b];
        double[] l = lo[b];
        double[] h = hi[b];
        for (int i = 0; i < l.length; i++) {
            l[i] = Math.max(l[i], pl[i]);
            h[i] = Math.min(h[i], ph[i]);
            if (l[i] > h[i]) {
                infeasible = true;
            }
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = new double[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static double kappa(int terms) {
        return (terms + 8) * 0x1p-52;
    }

    /** IBP through an affine op: mid ± (rad + κ·E). */
    private void affine(Graph.Aff a) {
        double[] sl = lo[a.src()];
        double[] sh = hi[a.src()];
        int n = a.col().length;
        double[] c = new double[sl.length];
        double[] r = new double[sl.length];
        for (int j = 0; j < sl.length; j++) {
            c[j] = sl[j] * 0.5 + sh[j] * 0.5;
            r[j] = up(Math.max(up(sh[j] - c[j]), up(c[j] - sl[j])));
        }
        double[] yl = new double[n];
        double[] yh = new double[n];
        double[] m = new double[sl.length];
        for (int j = 0; j < sl.length; j++) {
            m[j] = Math.abs(c[j]) + r[j];
        }
        boolean dense = a.dense();
        for (int i = 0; i < n; i++) {
            int[] col = a.col()[i];
            double[] w = a.dval()[i];
            double mid = a.dbias()[i];
            double rad = 0;
            double e = Math.abs(a.dbias()[i]);
            double mags = 1;
            if (dense) {
                for (int k = 0; k < w.length; k++) {
                    double wa = Math.abs(w[k]);
                    mid += w[k] * c[k];
                    rad += wa * r[k];
                    e += wa * m[k];
                    mags += wa + m[k];
                }
            } else {
                for (int k = 0; k < col.length; k++) {
                    double wa = Math.abs(w[k]);
                    mid += w[k] * c[col[k]];
                    rad += wa * r[col[k]];
                    e += wa * m[col[k]];
                    mags += wa + m[col[k]];
                }
            }
            double slack = up(up(rad * (1 + 0x1p-40)) + up(kappa(col.length + 1) * e) + TINY * mags);
            yl[i] = dn(mid - slack);
            yh[i] = up(mid + slack);
        }
        lo[a.dst()] = yl;
        hi[a.dst()] = yh;
    }

    /** The rigorous value interval of p·z for an exact rational slope p and a double z. */
    private static double[] slope(Rational p) {
        double d = p.doubleValue();
        if (Rational.fromDouble(d).equals(p)) {
            return new double[]{d, d};
        }
        return new double[]{dn(dn(d)), up(up(d))};
    }

    private void activation(Graph.Act a, int k) {
        double[] zl = lo[a.src()];
        double[] zh = hi[a.src()];
        int n = zl.length;
        double[] pn = slope(a.neg());
        double[] pp = slope(a.pos());
        boolean convex = a.pos().compareTo(a.neg()) >= 0;
        double[] yl = new double[n];
        double[] yh = new double[n];
        double[] sU = new double[n];
        double[] tU = new double[n];
        double[] sL = new double[n];
        double[] tL = new double[n];
        for (int i = 0; i < n; i++) {
            int u = a.first() + i;
            int f = fix == null ? -1 : fix[u];
            double l = zl[i];
            double h = zh[i];
            if (f == 1) {
                if (h < 0) {
                    infeasible = true;
                    return;
                }
                l = Math.max(l, 0);
            } else if (f == 0) {
                if (l > 0) {
                    infeasible = true;
                    return;
                }
                h = Math.min(h, 0);
            }
            zl[i] = l;
            zh[i] = h;
            phase[u] = l >= 0 ? 1 : h <= 0 ? 0 : -1;
            if (phase[u] == 1) {
                sU[i] = pp[0];
                sL[i] = pp[0];
            } else if (phase[u] == 0) {
                sU[i] = pn[0];
                sL[i] = pn[0];
            } else {
                double fl = pn[0] * l;
                double fh = pp[0] * h;
                double chord = (fh - fl) / (h - l);
                double tangent = h >= -l ? pp[0] : pn[0];
                sU[i] = convex ? chord : tangent;
                sL[i] = convex ? tangent : chord;
            }
            double[] zs = l < 0 && h > 0 ? new double[]{l, 0, h} : new double[]{l, h};
            double vmin = Double.POSITIVE_INFINITY;
            double vmax = Double.NEGATIVE_INFINITY;
            double uMax = Double.NEGATIVE_INFINITY;
            double lMin = Double.POSITIVE_INFINITY;
            for (double z : zs) {
                double[] p = z > 0 ? pp : pn;
                double[] val = times(p, z);
                vmin = Math.min(vmin, val[0]);
                vmax = Math.max(vmax, val[1]);
                uMax = Math.max(uMax, times(new double[]{dn(p[0] - sU[i]), up(p[1] - sU[i])}, z)[1]);
                lMin = Math.min(lMin, times(new double[]{dn(p[0] - sL[i]), up(p[1] - sL[i])}, z)[0]);
            }
            yl[i] = vmin;
            yh[i] = vmax;
            tU[i] = uMax;
            tL[i] = lMin;
        }
        lo[a.dst()] = yl;
        hi[a.dst()] = yh;
        lines.put(k, new double[][]{sU, tU, sL, tL});
    }

    /** The interval of p·z for p in [p0, p1] and an exact double z, rounded outward. */
    private static double[] times(double[] p, double z) {
        if (z == 0) {
            return new double[]{0, 0};
        }
        double a = p[0] * z;
        double b = p[1] * z;
        return new double[]{dn(Math.min(a, b)), up(Math.max(a, b))};
    }

    private void maxpool(Graph.Max m) {
        double[] zl = lo[m.src()];
        double[] zh = hi[m.src()];
        int n = m.windows().length;
        double[] yl = new double[n];
        double[] yh = new double[n];
        for (int o = 0; o < n; o++) {
            int u = m.first() + o;
            int[] w = m.windows()[o];
            int f = fix == null ? -1 : fix[u];
            double maxLo = Double.NEGATIVE_INFINITY;
            double maxHi = Double.NEGATIVE_INFINITY;
            for (int idx : w) {
                maxLo = Math.max(maxLo, zl[idx]);
                maxHi = Math.max(maxHi, zh[idx]);
            }
            int dom = -1;
            for (int e = 0; e < w.length && dom < 0; e++) {
                boolean d = true;
                for (int e2 = 0; e2 < w.length && d; e2++) {
                    d = e2 == e || zl[w[e]] >= zh[w[e2]];
                }
                if (d) {
                    dom = e;
                }
            }
            if (f >= 0) {
                if (maxLo > zh[w[f]] || (dom >= 0 && dom != f && zl[w[dom]] > zh[w[f]])) {
                    infeasible = true;
                    return;
                }
                dom = f;
            }
            phase[u] = dom;
            if (dom >= 0) {
                yl[o] = maxLo;
                yh[o] = zh[w[dom]];
            } else {
                yl[o] = maxLo;
                yh[o] = maxHi;
            }
        }
        lo[m.dst()] = yl;
        hi[m.dst()] = yh;
    }

    /**
     * Tightens the bounds of buffer b (input of op k) by CROWN: every entry for the published
     * method; in the search, the entries whose interval straddles 0 (an activation's units not
     * decided by the bounds so far, fixed ones included, whose tighter bounds may contradict their
     * phase; for max pooling every entry). A decided unit's relaxation is its exact linear piece
     * whatever its interval, so back-substituting its rows would cost O(depth·width²) each and
     * change no line; its interval only enters the rounding-error terms and the next layer's IBP,
     * both still sound.
     */
    private void tighten(int b, int k) {
        int n = g.size(b);
        boolean all = !search || !(g.ops().get(k) instanceof Graph.Act);
        int[] rows = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (all || (lo[b][i] < 0 && hi[b][i] > 0)) {
                rows[m++] = i;
            }
        }
        if (m == 0) {
            return;
        }
        double[][] a0 = new double[2 * m][n];
        for (int r = 0; r < m; r++) {
            a0[r][rows[r]] = 1;
            a0[m + r][rows[r]] = -1;
        }
        double[] ub = upper(b, k, a0, null, null);
        for (int r = 0; r < m; r++) {
            int i = rows[r];
            hi[b][i] = Math.min(hi[b][i], ub[r]);
            lo[b][i] = Math.max(lo[b][i], -ub[m + r]);
        }
    }

    /**
     * The CROWN upper bound of c·output (c exact) over the node: max over the set of c·f(x) is at
     * most the returned value. {@code score} (per unit, may be null) receives each unstable unit's
     * share of the bound (the intercept its relaxation adds), {@code vertex} (per input, may be
     * null) the sign of the final linear coefficient (the box vertex maximising the linear bound).
     */
    public double objectiveUpper(Rational[] c, double[] score, int[] vertex) {
        if (method == Method.IBP) {
            double s = 0;
            double[] ol = lo[g.output()];
            double[] oh = hi[g.output()];
            for (int i = 0; i < c.length; i++) {
                double[] ci = slope(c[i]);
                s = up(s + Math.max(times(ci, oh[i])[1], times(ci, ol[i])[1]));
            }
            return s;
        }
        int n = g.outputs();
        double[][] a0 = new double[1][n];
        double repair = 0;
        double[] ol = lo[g.output()];
        double[] oh = hi[g.output()];
        for (int i = 0; i < n; i++) {
            a0[0][i] = c[i].doubleValue();
            double m = Math.max(Math.abs(ol[i]), Math.abs(oh[i]));
            // |c_i - fl(c_i)| <= 2^-51 |fl(c_i)| + tiny
            repair = up(repair + up(up(Math.abs(a0[0][i]) * 0x1p-51 + TINY) * up(m + 1)));
        }
        double ub = upper(g.output(), g.ops().size(), a0, score, vertex)[0];
        // also IBP's bound, whichever is smaller
        double ibp = 0;
        for (int i = 0; i < n; i++) {
            ibp = up(ibp + Math.max(times(slope(c[i]), oh[i])[1], times(slope(c[i]), ol[i])[1]));
        }
        return Math.min(up(ub + repair), ibp);
    }

    /**
     * The upper CROWN bounds of the rows of a0·buffer(b), going backwards from op k−1: each row's
     * max over the box (with the rounding errors added).
     */
    private double[] upper(int b, int k, double[][] a0, double[] score, int[] vertex) {
        int m = a0.length;
        Map<Integer, double[][]> lam = new HashMap<>();
        lam.put(b, a0);
        double[] c = new double[m];
        double[] err = new double[m];
        List<Graph.Op> ops = g.ops();
        for (int q = k - 1; q >= 0; q--) {
            Graph.Op op = ops.get(q);
            double[][] a = lam.remove(op.dst());
            if (a == null) {
                continue;
            }
            if (op instanceof Graph.Aff f) {
                backAffine(f, a, lam, c, err);
            } else if (op instanceof Graph.Sum s) {
                add(lam, s.a(), a, err);
                add(lam, s.b(), copy(a), err);
            } else if (op instanceof Graph.Cat ct) {
                int na = g.size(ct.a());
                add(lam, ct.a(), slice(a, 0, na), err);
                add(lam, ct.b(), slice(a, na, g.size(ct.b())), err);
            } else if (op instanceof Graph.Act ac) {
                backAct(ac, q, a, lam, c, err, score);
            } else if (op instanceof Graph.Max mx) {
                backMax(mx, a, lam, c, err, score);
            }
        }
        double[][] ain = lam.get(0);
        double[] out = new double[m];
        for (int i = 0; i < m; i++) {
            double s = up(c[i] + err[i]);
            if (ain != null) {
                for (int j = 0; j < inLo.length; j++) {
                    double v = ain[i][j];
                    if (v != 0) {
                        s = up(s + up(Math.max(v * inLo[j], v * inHi[j])));
                    }
                }
            }
            out[i] = s;
        }
        if (vertex != null && ain != null) {
            for (int j = 0; j < inLo.length; j++) {
                vertex[j] = ain[0][j] >= 0 ? 1 : 0;
            }
        }
        return out;
    }

    private static double[][] copy(double[][] a) {
        double[][] r = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i].clone();
        }
        return r;
    }

    private static double[][] slice(double[][] a, int from, int n) {
        double[][] r = new double[a.length][n];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], from, r[i], 0, n);
        }
        return r;
    }

    private double mag(int buffer, int j) {
        return Math.max(Math.abs(lo[buffer][j]), Math.abs(hi[buffer][j]));
    }

    /** lam[b] += a (a fresh matrix is taken as is); the rounding of each sum goes to err. */
    private void add(Map<Integer, double[][]> lam, int b, double[][] a, double[] err) {
        double[][] t = lam.get(b);
        if (t == null) {
            lam.put(b, a);
            return;
        }
        for (int i = 0; i < a.length; i++) {
            double e = 0;
            for (int j = 0; j < a[i].length; j++) {
                if (a[i][j] != 0 && t[i][j] != 0) {
                    t[i][j] += a[i][j];
                    e = up(e + up(Math.ulp(t[i][j]) * mag(b, j)));
                } else {
                    t[i][j] += a[i][j];
                }
            }
            err[i] = up(err[i] + e);
        }
    }

    private void backAffine(Graph.Aff f, double[][] a, Map<Integer, double[][]> lam, double[] c, double[] err) {
        int rows = f.col().length;
        int src = f.src();
        int ns = g.size(src);
        double kap = kappa(rows + 1);
        // R_j = Σ_k |w_jk| M_col + |b_j|, rounded up
        double[] r = new double[rows];
        for (int j = 0; j < rows; j++) {
            double s = Math.abs(f.dbias()[j]);
            int[] col = f.col()[j];
            double[] w = f.dval()[j];
            for (int q = 0; q < col.length; q++) {
                s = up(s + up(Math.abs(w[q]) * mag(src, col[q])));
            }
            r[j] = up(s * (1 + 0x1p-40));
        }
        double[][] out = new double[a.length][ns];
        boolean dense = f.dense();
        for (int i = 0; i < a.length; i++) {
            double[] ai = a[i];
            double[] oi = out[i];
            double e = 0;
            double absA = 0;
            double ci = c[i];
            for (int j = 0; j < rows; j++) {
                double v = ai[j];
                if (v == 0) {
                    continue;
                }
                double[] w = f.dval()[j];
                if (dense) {
                    for (int q = 0; q < ns; q++) {
                        oi[q] += v * w[q];
                    }
                } else {
                    int[] col = f.col()[j];
                    for (int q = 0; q < col.length; q++) {
                        oi[col[q]] += v * w[q];
                    }
                }
                double va = Math.abs(v);
                e += va * r[j];
                absA += va * (1 + r[j]);
                ci = up(ci + up(v * f.dbias()[j]));
            }
            c[i] = ci;
            err[i] = up(err[i] + up(up(kap * up(e * (1 + 0x1p-40))) + TINY * up(absA + 1)));
        }
        add(lam, src, out, err);
    }

    private void backAct(Graph.Act ac, int q, double[][] a, Map<Integer, double[][]> lam, double[] c, double[] err,
                         double[] score) {
        double[][] ln = lines.get(q);
        double[] sU = ln[0];
        double[] tU = ln[1];
        double[] sL = ln[2];
        double[] tL = ln[3];
        int src = ac.src();
        int n = g.size(src);
        double[][] out = new double[a.length][n];
        double[] mg = new double[n];
        for (int j = 0; j < n; j++) {
            mg[j] = mag(src, j);
        }
        // plain sums, then one outward bound of their rounding: for N = n terms every computed sum of
        // products is within κ(N)·Σ|terms| of the exact one (κ(N) = (N + 8)·2⁻⁵² ≥ γ_{N+1}), and the
        // computed Σ|terms| is within a factor (1 + 2⁻⁴⁰) of the exact one; underflow adds at most
        // 2⁻¹⁰⁷⁴ a product, well below TINY
        double kap = kappa(n);
        for (int i = 0; i < a.length; i++) {
            double e = 0;
            double sum = 0;
            double abs = 0;
            double[] ai = a[i];
            double[] oi = out[i];
            for (int j = 0; j < n; j++) {
                double v = ai[j];
                if (v == 0) {
                    continue;
                }
                double s = v >= 0 ? sU[j] : sL[j];
                double t = v >= 0 ? tU[j] : tL[j];
                double p = v * s;
                oi[j] = p;
                e += Math.ulp(p) * mg[j];
                double vt = v * t;
                sum += vt;
                abs += Math.abs(vt);
                if (score != null && phase[ac.first() + j] < 0) {
                    score[ac.first() + j] += Math.abs(vt);
                }
            }
            double slack = up(up(kap * up(abs * (1 + 0x1p-40))) + TINY * (n + 1));
            c[i] = up(up(c[i] + sum) + slack);
            err[i] = up(err[i] + up(up(e * (1 + kap)) + TINY * (n + 1)));
        }
        add(lam, src, out, err);
    }

    private void backMax(Graph.Max mx, double[][] a, Map<Integer, double[][]> lam, double[] c, double[] err, double[] score) {
        int src = mx.src();
        int n = g.size(src);
        double[][] out = new double[a.length][n];
        double[] zl = lo[src];
        double[] zh = hi[src];
        for (int o = 0; o < mx.windows().length; o++) {
            int[] w = mx.windows()[o];
            int u = mx.first() + o;
            int best = w[0];
            double top = Double.NEGATIVE_INFINITY;
            for (int idx : w) {
                best = zl[idx] > zl[best] ? idx : best;
                top = Math.max(top, zh[idx]);
            }
            int target = phase[u] >= 0 ? w[phase[u]] : best;
            for (int i = 0; i < a.length; i++) {
                double v = a[i][o];
                if (v == 0) {
                    continue;
                }
                if (phase[u] >= 0 || v < 0) {
                    double before = out[i][target];
                    out[i][target] += v;
                    if (before != 0) {
                        err[i] = up(err[i] + up(Math.ulp(out[i][target]) * mag(src, target)));
                    }
                } else {
                    c[i] = up(c[i] + up(v * top));
                    if (score != null) {
                        score[u] += v * (top - zl[best]);
                    }
                }
            }
        }
        add(lam, src, out, err);
    }
}
