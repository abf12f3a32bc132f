package org.netgeom.certify;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.netgeom.certify.Relax.ceil;
import static org.netgeom.certify.Relax.ceilFix;
import static org.netgeom.certify.Relax.floor;
import static org.netgeom.certify.Relax.floorFix;
import static org.netgeom.certify.Relax.value;

/**
 * The checker's precise relaxation of {@link Relax}'s code over one box with some units fixed
 * (docs/certify.md, "Branch-and-bound trees"): IBP and CROWN in BigInteger fixed point at scale
 * 2^−80, the weights, slopes, chords and box ends exact rationals; see {@link Relax} for the
 * rounding rules. {@link FastRelax} is the same in longs at 2^−40, tried first.
 */
/** A relaxation of the net over one box with some units fixed. */
final class ExactBounds implements Relax.Relaxed {
    private final Relax code;
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
    private final Relax.Relaxed parent;
    private final boolean undecidedOnly;

    /** Near ties of the adaptive lower slope (|u + l| ≤ 2^−30 (u − l)) take the other slope than the rule's. */
    private final boolean flipTies;


    ExactBounds(Relax code, Q[] boxLo, Q[] boxHi, int[] fix, boolean flipTies) {
        this(code, boxLo, boxHi, fix, flipTies, null, false);
    }

    /**
     * The same inside a parent node's set: every interval is intersected with the parent's; with
     * {@code undecidedOnly} CROWN back-substitutes only undecided units, as {@link FastRelax.Bounds}.
     */
    ExactBounds(Relax code, Q[] boxLo, Q[] boxHi, int[] fix, boolean flipTies, Relax.Relaxed parent, boolean undecidedOnly) {
        this.code = code;
        this.undecidedOnly = undecidedOnly;
        this.parent = parent == null || parent.infeasible() ? null : parent;
        this.flipTies = flipTies;
        this.boxLo = boxLo;
        this.boxHi = boxHi;
        this.fix = fix;
        lo = new BigInteger[code.size.size()][];
        hi = new BigInteger[code.size.size()][];
        phase = new int[code.units];
        Arrays.fill(phase, -1);
        lo[0] = new BigInteger[code.inputs];
        hi[0] = new BigInteger[code.inputs];
        for (int j = 0; j < code.inputs; j++) {
            lo[0][j] = floorFix(boxLo[j]);
            hi[0][j] = ceilFix(boxHi[j]);
        }
        for (int q = 0; q < code.ops.size() && !infeasible; q++) {
            Relax.G g = code.ops.get(q);
            if (g instanceof Relax.Aff a) {
                affine(a);
                meet(a.dst());
            } else if (g instanceof Relax.Sum s) {
                int n = code.size.get(s.dst());
                lo[s.dst()] = new BigInteger[n];
                hi[s.dst()] = new BigInteger[n];
                for (int i = 0; i < n; i++) {
                    lo[s.dst()][i] = lo[s.a()][i].add(lo[s.b()][i]);
                    hi[s.dst()][i] = hi[s.a()][i].add(hi[s.b()][i]);
                }
                meet(s.dst());
            } else if (g instanceof Relax.Cat c) {
                lo[c.dst()] = cat(lo[c.a()], lo[c.b()]);
                hi[c.dst()] = cat(hi[c.a()], hi[c.b()]);
                meet(c.dst());
            } else if (g instanceof Relax.Act a) {
                tighten(a.src(), q);
                activation(a, q);
            } else if (g instanceof Relax.Max m) {
                tighten(m.src(), q);
                maxpool(m);
            }
        }
    }

    /** Intersects buffer b's intervals with the parent's; an empty one makes the node infeasible. */
    private void meet(int b) {
        if (parent == null) {
            return;
        }
        BigInteger[] pl = parent.lowerFix(b);
        BigInteger[] ph = parent.upperFix(b);
        if (pl == null || ph == null) {
            return;
        }
        for (int i = 0; i < lo[b].length; i++) {
            lo[b][i] = lo[b][i].max(pl[i]);
            hi[b][i] = hi[b][i].min(ph[i]);
            if (lo[b][i].compareTo(hi[b][i]) > 0) {
                infeasible = true;
            }
        }
    }

    @Override
    public BigInteger[] lowerFix(int b) {
        return lo[b];
    }

    @Override
    public BigInteger[] upperFix(int b) {
        return hi[b];
    }

    private BigInteger[] cat(BigInteger[] a, BigInteger[] b) {
        BigInteger[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private void affine(Relax.Aff a) {
        Net.Lin l = a.lin();
        BigInteger[] sl = lo[a.src()];
        BigInteger[] sh = hi[a.src()];
        int n = l.idx.length;
        BigInteger[] yl = new BigInteger[n];
        BigInteger[] yh = new BigInteger[n];
        for (int i = 0; i < n; i++) {
            BigInteger c = l.c[i].shiftLeft(Relax.F);
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

    private void activation(Relax.Act a, int q) {
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

    private void maxpool(Relax.Max m) {
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
        int n = code.size.get(b);
        int[] rows = new int[n];
        int m = 0;
        boolean all = !undecidedOnly || !(code.ops.get(q) instanceof Relax.Act);
        for (int i = 0; i < n; i++) {
            if (all || (lo[b][i].signum() < 0 && hi[b][i].signum() > 0)) {
                rows[m++] = i;
            }
        }
        if (m == 0) {
            return;
        }
        BigInteger[][] a0 = new BigInteger[2 * m][n];
        for (int i = 0; i < 2 * m; i++) {
            Arrays.fill(a0[i], BigInteger.ZERO);
        }
        for (int r = 0; r < m; r++) {
            a0[r][rows[r]] = Relax.ONE;
            a0[m + r][rows[r]] = Relax.ONE.negate();
        }
        BigInteger[] ub = upper(b, q, a0);
        for (int r = 0; r < m; r++) {
            int i = rows[r];
            hi[b][i] = hi[b][i].min(ub[r]);
            lo[b][i] = lo[b][i].max(ub[m + r].negate());
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
        int n = code.size.get(code.out);
        BigInteger[] ol = lo[code.out];
        BigInteger[] oh = hi[code.out];
        Q ibp = Q.ZERO;
        BigInteger[][] a0 = new BigInteger[1][n];
        BigInteger extra = BigInteger.ZERO;
        for (int i = 0; i < n; i++) {
            if (c[i].signum() != 0) {
                ibp = ibp.add(c[i].signum() > 0 ? c[i].mul(value(oh[i])) : c[i].mul(value(ol[i])));
            }
            a0[0][i] = floorFix(c[i]);
            if (!value(a0[0][i]).equals(c[i])) {
                extra = extra.add(Relax.unitErr(ol[i].abs().max(oh[i].abs())));
            }
        }
        Q crown = value(upper(code.out, code.ops.size(), a0)[0].add(extra));
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
            Relax.G g = code.ops.get(p);
            BigInteger[][] a = lam.remove(g.dst());
            if (a == null) {
                continue;
            }
            if (g instanceof Relax.Aff f) {
                add(lam, f.src(), backAffine(f, a, c));
            } else if (g instanceof Relax.Sum s) {
                add(lam, s.a(), a);
                add(lam, s.b(), copy(a));
            } else if (g instanceof Relax.Cat ct) {
                int na = code.size.get(ct.a());
                add(lam, ct.a(), slice(a, 0, na));
                add(lam, ct.b(), slice(a, na, code.size.get(ct.b())));
            } else if (g instanceof Relax.Act ac) {
                add(lam, ac.src(), backAct(ac, p, a, c));
            } else if (g instanceof Relax.Max mx) {
                add(lam, mx.src(), backMax(mx, a, c));
            }
        }
        BigInteger[][] ain = lam.get(0);
        BigInteger[] r = new BigInteger[m];
        for (int i = 0; i < m; i++) {
            BigInteger s = c[i];
            if (ain != null) {
                for (int j = 0; j < code.inputs; j++) {
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

    private BigInteger[][] backAffine(Relax.Aff f, BigInteger[][] a, BigInteger[] c) {
        Net.Lin l = f.lin();
        int ns = code.size.get(f.src());
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
                    c[i] = c[i].add(Relax.unitErr(mag(f.src(), x)));
                }
                o[i][x] = fl;
            }
        }
        return o;
    }

    private BigInteger[][] backAct(Relax.Act ac, int p, BigInteger[][] a, BigInteger[] c) {
        Q[][] ln = lines.get(p);
        int n = code.size.get(ac.src());
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
                    c[i] = c[i].add(Relax.unitErr(mag(ac.src(), j)));
                }
                o[i][j] = fl;
                if (t.signum() != 0) {
                    c[i] = c[i].add(ceil(v.multiply(t.n()), t.d()));
                }
            }
        }
        return o;
    }

    private BigInteger[][] backMax(Relax.Max mx, BigInteger[][] a, BigInteger[] c) {
        int src = mx.src();
        int n = code.size.get(src);
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
                    c[i] = c[i].add(ceil(v.multiply(top), Relax.ONE));      // max ≤ max_e u_e
                }
            }
        }
        return o;
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
