package org.netgeom.certify;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checker's own network code for branch-and-bound trees (docs/certify.md, "Branch-and-bound
 * trees"): {@link Net}'s ops flattened into straight-line code over buffers (units numbered as in
 * a region's pattern: a residual's body before its shortcut), an exact forward pass at a point,
 * the exact affine forms of every buffer with the units' phases fixed, and a sound relaxation:
 * interval bound propagation and CROWN (Zhang et al. 2018, "Efficient neural network robustness
 * certification with general activation functions", Thm 3.2: linear relaxations of each unit
 * propagated backwards, the chord as upper line and the adaptive lower slope, pos if u ≥ −l
 * else neg; intermediate bounds by back-substitution to the input; max pooling: max ≥ z_e for the
 * entry of largest lower bound, max ≤ max_e u_e, exact when one entry dominates or the winner is
 * fixed).
 *
 * <p>Arithmetic: no floating point. Bounds and backward coefficients are integers at the fixed
 * scale 2^−F (F = 80), BigInteger. Interval ends are rounded outward (floor / ceil); a backward
 * coefficient rounded down by less than 2^−F adds 2^−F·max|h| of the variable h it multiplies
 * to the row's constant; every intercept and bias term is rounded up. Weights, slopes, chords and
 * box ends stay exact rationals, so a net with dyadic data is bounded without any rounding until
 * numbers need more than F fractional bits.
 */
final class Relax {
    static final int F = 80;
    private static final BigInteger ONE = BigInteger.ONE.shiftLeft(F);

    sealed interface G permits Aff, Act, Max, Sum, Cat {
        int dst();
    }

    /** dst_i = (Σ_t w_it·src_{idx_it} + c_i)/den. */
    record Aff(int src, int dst, Net.Lin lin) implements G {
    }

    /** Units first.. : pos/den·z where the unit is on, neg/den·z where off. */
    record Act(int src, int dst, int first, Net.Act a) implements G {
    }

    record Max(int src, int dst, int first, int[][] win) implements G {
    }

    record Sum(int a, int b, int dst) implements G {
    }

    record Cat(int a, int b, int dst) implements G {
    }

    final List<G> ops = new ArrayList<>();
    final List<Integer> size = new ArrayList<>();
    int units;
    int out;
    final int inputs;
    /** Per unit: its op index, its row in the op, and the number of choices (2, or its window's size). */
    int[] unitOp;
    int[] unitRow;
    int[] choices;

    /**
     * The code of {@code net}; {@code prefix} (may be null) maps the k search variables to the
     * model's input first (a term's fixed inputs folded in).
     */
    Relax(Net net, Net.Lin prefix, int k) {
        inputs = k;
        size.add(k);
        int in = 0;
        if (prefix != null) {
            int d = buf(prefix.idx.length);
            ops.add(new Aff(0, d, prefix));
            in = d;
        }
        out = compile(net.ops, in);
        unitOp = new int[units];
        unitRow = new int[units];
        choices = new int[units];
        for (int q = 0; q < ops.size(); q++) {
            G g = ops.get(q);
            if (g instanceof Act a) {
                for (int i = 0; i < size.get(a.dst()); i++) {
                    unitOp[a.first() + i] = q;
                    unitRow[a.first() + i] = i;
                    choices[a.first() + i] = 2;
                }
            } else if (g instanceof Max m) {
                for (int o = 0; o < m.win().length; o++) {
                    unitOp[m.first() + o] = q;
                    unitRow[m.first() + o] = o;
                    choices[m.first() + o] = m.win()[o].length;
                }
            }
        }
    }

    private int buf(int n) {
        size.add(n);
        return size.size() - 1;
    }

    private int compile(List<Net.Op> list, int in) {
        for (Net.Op op : list) {
            if (op instanceof Net.Lin l) {
                int d = buf(l.idx.length);
                ops.add(new Aff(in, d, l));
                in = d;
            } else if (op instanceof Net.Act a) {
                int d = buf(size.get(in));
                ops.add(new Act(in, d, units, a));
                units += size.get(in);
                in = d;
            } else if (op instanceof Net.Max m) {
                int d = buf(m.win().length);
                ops.add(new Max(in, d, units, m.win()));
                units += m.win().length;
                in = d;
            } else if (op instanceof Net.Res r) {
                int b = compile(r.body(), in);
                int s = r.shortcut() == null ? in : compile(r.shortcut(), in);
                int d = buf(size.get(b));
                ops.add(new Sum(b, s, d));
                in = d;
            } else if (op instanceof Net.Cat c) {
                int b = compile(c.body(), in);
                int d = buf(size.get(in) + size.get(b));
                ops.add(new Cat(in, b, d));
                in = d;
            } else {
                throw new CertRejected("a moving layer (loss line) is not a branch-and-bound model", null);
            }
        }
        return in;
    }

    // ---- exact forms and points ----

    /**
     * The exact affine forms (of the k variables, then the constant) of every buffer computed by
     * ops before {@code stop}, with unit u in phase[u] (0/1, or the winner's index in its window).
     * With k = 0 variables (a point) a phase −1 is taken from the sign of the value (z &gt; 0 on,
     * the first maximum of a window).
     */
    Net.Vec[] forms(Net.Vec in, int[] phase, int stop) {
        Net.Vec[] b = new Net.Vec[size.size()];
        b[0] = in;
        int k = in.n().length == 0 ? 0 : in.n()[0].size();
        for (int q = 0; q < Math.min(stop, ops.size()); q++) {
            G g = ops.get(q);
            if (g instanceof Aff a) {
                b[a.dst()] = Net.step(a.lin(), b[a.src()], null);
            } else if (g instanceof Act a) {
                Net.Vec v = b[a.src()];
                Z[] o = new Z[v.n().length];
                for (int i = 0; i < o.length; i++) {
                    int p = phase == null ? -1 : phase[a.first() + i];
                    if (p < 0) {
                        p = k == 1 && v.n()[i].get(0).signum() > 0 ? 1 : 0;
                    }
                    o[i] = v.n()[i].scale(p == 1 ? a.a().pos() : a.a().neg());
                }
                b[a.dst()] = Net.reduce(o, v.d().multiply(a.a().den()));
            } else if (g instanceof Max m) {
                Net.Vec v = b[m.src()];
                Z[] o = new Z[m.win().length];
                for (int w = 0; w < o.length; w++) {
                    int p = phase == null ? -1 : phase[m.first() + w];
                    if (p < 0) {
                        p = 0;
                        for (int e = 1; e < m.win()[w].length; e++) {
                            if (v.n()[m.win()[w][e]].get(0).compareTo(v.n()[m.win()[w][p]].get(0)) > 0) {
                                p = e;
                            }
                        }
                    }
                    o[w] = v.n()[m.win()[w][p]];
                }
                b[m.dst()] = new Net.Vec(o, v.d());
            } else if (g instanceof Sum s) {
                Net.Vec x = b[s.a()];
                Net.Vec y = b[s.b()];
                Z[] o = new Z[x.n().length];
                for (int i = 0; i < o.length; i++) {
                    o[i] = x.n()[i].scale(y.d()).add(y.n()[i].scale(x.d()), 1);
                }
                b[s.dst()] = Net.reduce(o, x.d().multiply(y.d()));
            } else if (g instanceof Cat c) {
                Net.Vec x = b[c.a()];
                Net.Vec y = b[c.b()];
                Z[] o = new Z[x.n().length + y.n().length];
                for (int i = 0; i < x.n().length; i++) {
                    o[i] = x.n()[i].scale(y.d());
                }
                for (int i = 0; i < y.n().length; i++) {
                    o[x.n().length + i] = y.n()[i].scale(x.d());
                }
                b[c.dst()] = Net.reduce(o, x.d().multiply(y.d()));
            }
        }
        return b;
    }

    /** The identity forms of the k variables. */
    Net.Vec variables() {
        Z[] n = new Z[inputs];
        for (int i = 0; i < inputs; i++) {
            long[] f = new long[inputs + 1];
            f[i] = 1;
            n[i] = new Z(f);
        }
        return new Net.Vec(n, BigInteger.ONE);
    }

    /** The network's exact output at the point x (of the k variables). */
    Q[] eval(Q[] x) {
        BigInteger d = BigInteger.ONE;
        for (Q q : x) {
            d = Net.lcm(d, q.d());
        }
        Z[] n = new Z[x.length];
        for (int i = 0; i < x.length; i++) {
            n[i] = Z.of(new BigInteger[]{x[i].n().multiply(d.divide(x[i].d()))});
        }
        Net.Vec o = forms(new Net.Vec(n, d), null, Integer.MAX_VALUE)[out];
        Q[] y = new Q[o.n().length];
        for (int i = 0; i < y.length; i++) {
            y[i] = Q.of(o.n()[i].get(0), o.d());
        }
        return y;
    }

    /** Form i of a tensor as rationals: k coefficients, then the constant. */
    static Q[] row(Net.Vec v, int i) {
        Z z = v.n()[i];
        Q[] r = new Q[z.size()];
        for (int j = 0; j < r.length; j++) {
            r[j] = Q.of(z.get(j), v.d());
        }
        return r;
    }

    // ---- fixed-point helpers ----

    static BigInteger floor(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    static BigInteger ceil(BigInteger a, BigInteger b) {
        return floor(a.negate(), b).negate();
    }

    static BigInteger floorFix(Q q) {
        return floor(q.n().shiftLeft(F), q.d());
    }

    static BigInteger ceilFix(Q q) {
        return ceil(q.n().shiftLeft(F), q.d());
    }

    static Q value(BigInteger fix) {
        return Q.of(fix, ONE);
    }

    /** ⌈mag·2^−F⌉ at scale 2^−F: the bound on (less than one unit of 2^−F)·|h| for |h| ≤ mag. */
    private static BigInteger unitErr(BigInteger mag) {
        return mag.add(ONE).subtract(BigInteger.ONE).shiftRight(F);
    }

    /** A sound relaxation of the net on a node: the units' phases it proves, emptiness, and upper bounds of c·f + offset. */
    interface Relaxed {
        int[] phase();

        boolean infeasible();

        Q bound(Q[] c, Q offset);
    }

    /** A relaxation of the net over one box with some units fixed. */
    final class Bounds implements Relaxed {
        final BigInteger[][] lo;
        final BigInteger[][] hi;
        /** Per unit: the phase fixed or decided by the bounds, −1 when undecided. */
        final int[] phase;
        boolean infeasible;
        private final Q[] boxLo;
        private final Q[] boxHi;
        private final int[] fix;
        /** Per Act op: upper slope, upper intercept, lower slope, lower intercept per unit. */
        private final Map<Integer, Q[][]> lines = new HashMap<>();

        /** Near ties of the adaptive lower slope (|u + l| ≤ 2^−30 (u − l)) take the other slope than the rule's. */
        private final boolean flipTies;

        Bounds(Q[] boxLo, Q[] boxHi, int[] fix) {
            this(boxLo, boxHi, fix, false);
        }

        Bounds(Q[] boxLo, Q[] boxHi, int[] fix, boolean flipTies) {
            this.flipTies = flipTies;
            this.boxLo = boxLo;
            this.boxHi = boxHi;
            this.fix = fix;
            lo = new BigInteger[size.size()][];
            hi = new BigInteger[size.size()][];
            phase = new int[units];
            Arrays.fill(phase, -1);
            lo[0] = new BigInteger[inputs];
            hi[0] = new BigInteger[inputs];
            for (int j = 0; j < inputs; j++) {
                lo[0][j] = floorFix(boxLo[j]);
                hi[0][j] = ceilFix(boxHi[j]);
            }
            for (int q = 0; q < ops.size() && !infeasible; q++) {
                G g = ops.get(q);
                if (g instanceof Aff a) {
                    affine(a);
                } else if (g instanceof Sum s) {
                    int n = size.get(s.dst());
                    lo[s.dst()] = new BigInteger[n];
                    hi[s.dst()] = new BigInteger[n];
                    for (int i = 0; i < n; i++) {
                        lo[s.dst()][i] = lo[s.a()][i].add(lo[s.b()][i]);
                        hi[s.dst()][i] = hi[s.a()][i].add(hi[s.b()][i]);
                    }
                } else if (g instanceof Cat c) {
                    lo[c.dst()] = cat(lo[c.a()], lo[c.b()]);
                    hi[c.dst()] = cat(hi[c.a()], hi[c.b()]);
                } else if (g instanceof Act a) {
                    tighten(a.src(), q);
                    activation(a, q);
                } else if (g instanceof Max m) {
                    tighten(m.src(), q);
                    maxpool(m);
                }
            }
        }

        private BigInteger[] cat(BigInteger[] a, BigInteger[] b) {
            BigInteger[] r = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, r, a.length, b.length);
            return r;
        }

        private void affine(Aff a) {
            Net.Lin l = a.lin();
            BigInteger[] sl = lo[a.src()];
            BigInteger[] sh = hi[a.src()];
            int n = l.idx.length;
            BigInteger[] yl = new BigInteger[n];
            BigInteger[] yh = new BigInteger[n];
            for (int i = 0; i < n; i++) {
                BigInteger c = l.c[i].shiftLeft(F);
                BigInteger up = c;
                BigInteger dn = c;
                for (int t = 0; t < l.idx[i].length; t++) {
                    BigInteger w = l.w[i][t];
                    if (w.signum() == 0) {
                        continue;
                    }
                    BigInteger x = w.multiply(sl[l.idx[i][t]]);
                    BigInteger y = w.multiply(sh[l.idx[i][t]]);
                    up = up.add(x.max(y));
                    dn = dn.add(x.min(y));
                }
                yl[i] = floor(dn, l.den);
                yh[i] = ceil(up, l.den);
            }
            lo[a.dst()] = yl;
            hi[a.dst()] = yh;
        }

        private void activation(Act a, int q) {
            BigInteger[] zl = lo[a.src()];
            BigInteger[] zh = hi[a.src()];
            int n = zl.length;
            Q pos = Q.of(a.a().pos(), a.a().den());
            Q neg = Q.of(a.a().neg(), a.a().den());
            boolean convex = pos.compareTo(neg) >= 0;
            BigInteger[] yl = new BigInteger[n];
            BigInteger[] yh = new BigInteger[n];
            Q[] sU = new Q[n];
            Q[] tU = new Q[n];
            Q[] sL = new Q[n];
            Q[] tL = new Q[n];
            for (int i = 0; i < n; i++) {
                int u = a.first() + i;
                int f = fix == null ? -1 : fix[u];
                BigInteger l = zl[i];
                BigInteger h = zh[i];
                if (f == 1) {
                    if (h.signum() <= 0) {          // z > 0 is impossible where z ≤ h ≤ 0
                        infeasible = true;
                        return;
                    }
                    l = l.max(BigInteger.ZERO);
                } else if (f == 0) {
                    if (l.signum() > 0) {
                        infeasible = true;
                        return;
                    }
                    h = h.min(BigInteger.ZERO);
                }
                zl[i] = l;
                zh[i] = h;
                // a unit split on the path keeps its phase (where its bounds meet at 0 both phases give 0, and the path's forms used this one)
                phase[u] = f >= 0 ? f : l.signum() >= 0 ? 1 : h.signum() <= 0 ? 0 : -1;
                tU[i] = Q.ZERO;
                tL[i] = Q.ZERO;
                if (phase[u] >= 0) {
                    sU[i] = phase[u] == 1 ? pos : neg;
                    sL[i] = sU[i];
                } else {
                    Q lq = value(l);
                    Q hq = value(h);
                    Q chord = pos.mul(hq).sub(neg.mul(lq)).div(hq.sub(lq));
                    Q cut = neg.mul(lq).sub(chord.mul(lq));         // the chord through (l, neg·l) and (h, pos·h)
                    boolean up = h.compareTo(l.negate()) >= 0;
                    if (flipTies && h.add(l).abs().shiftLeft(30).compareTo(h.subtract(l)) <= 0) {
                        up = !up;          // a near tie: the search's rounded bounds may have chosen the other slope
                    }
                    Q tangent = up ? pos : neg;
                    sU[i] = convex ? chord : tangent;
                    tU[i] = convex ? cut : Q.ZERO;
                    sL[i] = convex ? tangent : chord;
                    tL[i] = convex ? Q.ZERO : cut;
                }
                BigInteger[] vs = {scaleFloor(l, l.signum() > 0 ? pos : neg), scaleFloor(h, h.signum() > 0 ? pos : neg), BigInteger.ZERO};
                BigInteger[] ws = {scaleCeil(l, l.signum() > 0 ? pos : neg), scaleCeil(h, h.signum() > 0 ? pos : neg), BigInteger.ZERO};
                int m = l.signum() < 0 && h.signum() > 0 ? 3 : 2;
                BigInteger mn = vs[0];
                BigInteger mx = ws[0];
                for (int e = 1; e < m; e++) {
                    mn = mn.min(vs[e]);
                    mx = mx.max(ws[e]);
                }
                yl[i] = mn;
                yh[i] = mx;
            }
            lo[a.dst()] = yl;
            hi[a.dst()] = yh;
            lines.put(q, new Q[][]{sU, tU, sL, tL});
        }

        private void maxpool(Max m) {
            BigInteger[] zl = lo[m.src()];
            BigInteger[] zh = hi[m.src()];
            int n = m.win().length;
            BigInteger[] yl = new BigInteger[n];
            BigInteger[] yh = new BigInteger[n];
            for (int o = 0; o < n; o++) {
                int u = m.first() + o;
                int[] w = m.win()[o];
                int f = fix == null ? -1 : fix[u];
                BigInteger maxLo = zl[w[0]];
                BigInteger maxHi = zh[w[0]];
                for (int idx : w) {
                    maxLo = maxLo.max(zl[idx]);
                    maxHi = maxHi.max(zh[idx]);
                }
                int dom = -1;
                for (int e = 0; e < w.length && dom < 0; e++) {
                    boolean d = true;
                    for (int e2 = 0; e2 < w.length && d; e2++) {
                        d = e2 == e || zl[w[e]].compareTo(zh[w[e2]]) >= 0;
                    }
                    if (d) {
                        dom = e;
                    }
                }
                if (f >= 0) {
                    if (maxLo.compareTo(zh[w[f]]) > 0) {       // an entry certainly above the fixed winner
                        infeasible = true;
                        return;
                    }
                    dom = f;
                }
                phase[u] = dom;
                yl[o] = maxLo;
                yh[o] = dom >= 0 ? zh[w[dom]] : maxHi;
            }
            lo[m.dst()] = yl;
            hi[m.dst()] = yh;
        }

        private void tighten(int b, int q) {
            int n = size.get(b);
            BigInteger[][] a0 = new BigInteger[2 * n][n];
            for (int i = 0; i < 2 * n; i++) {
                Arrays.fill(a0[i], BigInteger.ZERO);
            }
            for (int i = 0; i < n; i++) {
                a0[i][i] = ONE;
                a0[n + i][i] = ONE.negate();
            }
            BigInteger[] ub = upper(b, q, a0);
            for (int i = 0; i < n; i++) {
                hi[b][i] = hi[b][i].min(ub[i]);
                lo[b][i] = lo[b][i].max(ub[n + i].negate());
            }
        }

        /**
         * A sound upper bound of c·output + offset over the node's set (box ∩ fixed phases):
         * the smaller of CROWN's and IBP's.
         */
        @Override
        public int[] phase() {
            return phase;
        }

        @Override
        public boolean infeasible() {
            return infeasible;
        }

        @Override
        public Q bound(Q[] c, Q offset) {
            int n = size.get(out);
            BigInteger[] ol = lo[out];
            BigInteger[] oh = hi[out];
            Q ibp = Q.ZERO;
            BigInteger[][] a0 = new BigInteger[1][n];
            BigInteger extra = BigInteger.ZERO;
            for (int i = 0; i < n; i++) {
                if (c[i].signum() != 0) {
                    ibp = ibp.add(c[i].signum() > 0 ? c[i].mul(value(oh[i])) : c[i].mul(value(ol[i])));
                }
                a0[0][i] = floorFix(c[i]);
                if (!value(a0[0][i]).equals(c[i])) {
                    extra = extra.add(unitErr(ol[i].abs().max(oh[i].abs())));
                }
            }
            Q crown = value(upper(out, ops.size(), a0)[0].add(extra));
            return (crown.compareTo(ibp) < 0 ? crown : ibp).add(offset);
        }

        private BigInteger mag(int b, int j) {
            return lo[b][j].abs().max(hi[b][j].abs());
        }

        /** CROWN upper bounds of the rows of a0·buffer(b), backwards from op q − 1, concretised over the exact box. */
        private BigInteger[] upper(int b, int q, BigInteger[][] a0) {
            int m = a0.length;
            Map<Integer, BigInteger[][]> lam = new HashMap<>();
            lam.put(b, a0);
            BigInteger[] c = new BigInteger[m];
            Arrays.fill(c, BigInteger.ZERO);
            for (int p = q - 1; p >= 0; p--) {
                G g = ops.get(p);
                BigInteger[][] a = lam.remove(g.dst());
                if (a == null) {
                    continue;
                }
                if (g instanceof Aff f) {
                    add(lam, f.src(), backAffine(f, a, c));
                } else if (g instanceof Sum s) {
                    add(lam, s.a(), a);
                    add(lam, s.b(), copy(a));
                } else if (g instanceof Cat ct) {
                    int na = size.get(ct.a());
                    add(lam, ct.a(), slice(a, 0, na));
                    add(lam, ct.b(), slice(a, na, size.get(ct.b())));
                } else if (g instanceof Act ac) {
                    add(lam, ac.src(), backAct(ac, p, a, c));
                } else if (g instanceof Max mx) {
                    add(lam, mx.src(), backMax(mx, a, c));
                }
            }
            BigInteger[][] ain = lam.get(0);
            BigInteger[] r = new BigInteger[m];
            for (int i = 0; i < m; i++) {
                BigInteger s = c[i];
                if (ain != null) {
                    for (int j = 0; j < inputs; j++) {
                        BigInteger v = ain[i][j];
                        if (v.signum() != 0) {
                            Q x = v.signum() > 0 ? boxHi[j] : boxLo[j];
                            s = s.add(ceil(v.multiply(x.n()), x.d()));
                        }
                    }
                }
                r[i] = s;
            }
            return r;
        }

        private BigInteger[][] backAffine(Aff f, BigInteger[][] a, BigInteger[] c) {
            Net.Lin l = f.lin();
            int ns = size.get(f.src());
            BigInteger[][] o = new BigInteger[a.length][ns];
            for (int i = 0; i < a.length; i++) {
                BigInteger[] s = new BigInteger[ns];
                Arrays.fill(s, BigInteger.ZERO);
                BigInteger k = BigInteger.ZERO;
                for (int j = 0; j < l.idx.length; j++) {
                    BigInteger v = a[i][j];
                    if (v.signum() == 0) {
                        continue;
                    }
                    for (int t = 0; t < l.idx[j].length; t++) {
                        if (l.w[j][t].signum() != 0) {
                            s[l.idx[j][t]] = s[l.idx[j][t]].add(v.multiply(l.w[j][t]));
                        }
                    }
                    k = k.add(v.multiply(l.c[j]));
                }
                c[i] = c[i].add(ceil(k, l.den));
                for (int x = 0; x < ns; x++) {
                    BigInteger fl = floor(s[x], l.den);
                    if (!fl.multiply(l.den).equals(s[x])) {
                        c[i] = c[i].add(unitErr(mag(f.src(), x)));
                    }
                    o[i][x] = fl;
                }
            }
            return o;
        }

        private BigInteger[][] backAct(Act ac, int p, BigInteger[][] a, BigInteger[] c) {
            Q[][] ln = lines.get(p);
            int n = size.get(ac.src());
            BigInteger[][] o = new BigInteger[a.length][n];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < n; j++) {
                    BigInteger v = a[i][j];
                    if (v.signum() == 0) {
                        o[i][j] = BigInteger.ZERO;
                        continue;
                    }
                    Q s = v.signum() >= 0 ? ln[0][j] : ln[2][j];
                    Q t = v.signum() >= 0 ? ln[1][j] : ln[3][j];
                    BigInteger num = v.multiply(s.n());
                    BigInteger fl = floor(num, s.d());
                    if (!fl.multiply(s.d()).equals(num)) {
                        c[i] = c[i].add(unitErr(mag(ac.src(), j)));
                    }
                    o[i][j] = fl;
                    if (t.signum() != 0) {
                        c[i] = c[i].add(ceil(v.multiply(t.n()), t.d()));
                    }
                }
            }
            return o;
        }

        private BigInteger[][] backMax(Max mx, BigInteger[][] a, BigInteger[] c) {
            int src = mx.src();
            int n = size.get(src);
            BigInteger[][] o = new BigInteger[a.length][n];
            for (BigInteger[] r : o) {
                Arrays.fill(r, BigInteger.ZERO);
            }
            BigInteger[] zl = lo[src];
            BigInteger[] zh = hi[src];
            for (int w = 0; w < mx.win().length; w++) {
                int[] win = mx.win()[w];
                int u = mx.first() + w;
                int best = win[0];
                BigInteger top = zh[win[0]];
                for (int idx : win) {
                    best = zl[idx].compareTo(zl[best]) > 0 ? idx : best;
                    top = top.max(zh[idx]);
                }
                int target = phase[u] >= 0 ? win[phase[u]] : best;
                for (int i = 0; i < a.length; i++) {
                    BigInteger v = a[i][w];
                    if (v.signum() == 0) {
                        continue;
                    }
                    if (phase[u] >= 0 || v.signum() < 0) {
                        o[i][target] = o[i][target].add(v);       // max = z_target (decided), or max ≥ z_target
                    } else {
                        c[i] = c[i].add(ceil(v.multiply(top), ONE));      // max ≤ max_e u_e
                    }
                }
            }
            return o;
        }
    }

    private static BigInteger scaleFloor(BigInteger x, Q s) {
        return floor(x.multiply(s.n()), s.d());
    }

    private static BigInteger scaleCeil(BigInteger x, Q s) {
        return ceil(x.multiply(s.n()), s.d());
    }

    private static void add(Map<Integer, BigInteger[][]> lam, int b, BigInteger[][] a) {
        BigInteger[][] t = lam.get(b);
        if (t == null) {
            lam.put(b, a);
            return;
        }
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                t[i][j] = t[i][j].add(a[i][j]);
            }
        }
    }

    private static BigInteger[][] copy(BigInteger[][] a) {
        BigInteger[][] r = new BigInteger[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i].clone();
        }
        return r;
    }

    private static BigInteger[][] slice(BigInteger[][] a, int from, int n) {
        BigInteger[][] r = new BigInteger[a.length][n];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], from, r[i], 0, n);
        }
        return r;
    }
}
