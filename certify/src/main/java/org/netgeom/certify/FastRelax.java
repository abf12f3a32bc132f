package org.netgeom.certify;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The relaxation of {@link ExactBounds} (IBP, and CROWN: the chord / adaptive lower slope,
 * intermediate bounds by back-substitution) in {@code long} fixed point at scale 2^−G (G = 40),
 * the checker's fast first try: every product is formed exactly in 128 bits
 * ({@link Math#multiplyHigh}) and rounded once, outward where it is a bound and with its error
 * added where it is a coefficient, and any overflow throws {@link ArithmeticException} (the
 * caller then uses the BigInteger relaxation at 2^−80). Where this one is too coarse to prove a
 * node, the caller tries the precise one as well, so the fast path only ever saves time.
 *
 * <p>Soundness of the rounding: a weight w = wf + δ with 0 ≤ δ &lt; 2^−G (wf = ⌊w·2^G⌋/2^G)
 * contributes Λ·δ·h ≤ |Λ|·2^−G·max|h| to a row, added to its constant; each unit's lines have
 * fixed-point slopes and their intercepts are recomputed for those slopes, as the extreme of
 * φ(z) − s·z over {l, 0, u} (φ piecewise linear with its kink at 0), so each line is valid as it
 * stands; a backward coefficient rounded down by less than 2^−G adds 2^−G·max|h|; intercepts,
 * biases and the box are multiplied rounding up.
 */
final class FastRelax {
    static final int G = 40;
    private static final long ONE = 1L << G;

    private final Relax code;
    /** Per Aff op: the weights ⌊w/den·2^G⌋, whether some weight was rounded, the bias ⌊⌋ and ⌈⌉. */
    private final Map<Integer, long[][]> wf = new HashMap<>();
    private final Map<Integer, Boolean> inexact = new HashMap<>();
    private final Map<Integer, long[][]> bias = new HashMap<>();

    FastRelax(Relax code) {
        this.code = code;
        for (int q = 0; q < code.ops.size(); q++) {
            if (code.ops.get(q) instanceof Relax.Aff a) {
                Net.Lin l = a.lin();
                long[][] w = new long[l.idx.length][];
                boolean rounded = false;
                long[][] b = new long[2][l.idx.length];
                try {
                    for (int i = 0; i < w.length; i++) {
                        w[i] = new long[l.idx[i].length];
                        for (int t = 0; t < w[i].length; t++) {
                            BigInteger n = l.w[i][t].shiftLeft(G);
                            w[i][t] = Relax.floor(n, l.den).longValueExact();
                            rounded |= !BigInteger.valueOf(w[i][t]).multiply(l.den).equals(n);
                        }
                        b[0][i] = Relax.floor(l.c[i].shiftLeft(G), l.den).longValueExact();
                        b[1][i] = Relax.ceil(l.c[i].shiftLeft(G), l.den).longValueExact();
                    }
                } catch (ArithmeticException e) {
                    w = null;           // a weight beyond 2^23: this op has no fast form
                }
                wf.put(q, w);
                inexact.put(q, rounded);
                bias.put(q, b);
            }
        }
    }

    // ---- 128-bit helpers ----

    /** ⌊a·b / 2^s⌋ (up: ⌈⌉) for 0 &lt; s &lt; 64, exactly; ArithmeticException when it does not fit a long. */
    static long mulShift(long a, long b, int s, boolean up) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        long r = (hi << (64 - s)) | (lo >>> s);
        long back = hi >> s;                      // the bits above the result: all 0 or all 1 (the sign) when it fits
        if (back != (r >> 63)) {
            throw new ArithmeticException("fixed-point overflow");
        }
        if (up && (lo & ((1L << s) - 1)) != 0) {
            r = Math.addExact(r, 1);
        }
        return r;
    }

    /** True when a·b is a multiple of 2^s (the product at scale 2^−s has no bits below it). */
    static boolean exact(long a, long b, int s) {
        return ((a * b) & ((1L << s) - 1)) == 0;
    }

    /** An upper bound of a·b / 2^(2G) for a, b ≥ 0 (2G ≥ 64): the high word shifted, plus one. */
    static long errShift(long a, long b) {
        return Math.addExact(Math.multiplyHigh(a, b) >> (2 * G - 64), 1);
    }

    /** ⌈m / 2^G⌉ for m ≥ 0: the bound, at scale 2^−G, of (less than 2^−G)·|h| for |h| ≤ m. */
    private static long unitErr(long m) {
        return (m >> G) + 1;
    }

    static long floorFix(Q q) {
        return Relax.floorFix(q).shiftRight(Relax.F - G).longValueExact();
    }

    static long ceilFix(Q q) {
        return Relax.ceilFix(q).negate().shiftRight(Relax.F - G).negate().longValueExact();
    }

    static Q value(long f) {
        return Q.of(BigInteger.valueOf(f), BigInteger.ONE.shiftLeft(G));
    }

    /** The fast relaxation over one box with some units fixed; the same rules as {@link ExactBounds}. */
    final class Bounds implements Relax.Relaxed {
        final long[][] lo;
        final long[][] hi;
        final int[] phase;
        boolean infeasible;
        private final long[] boxLo;
        private final long[] boxHi;
        private final int[] fix;
        private final boolean flipTies;
        /** Per Act op: upper slope, upper intercept, lower slope, lower intercept per unit (fixed point). */
        private final Map<Integer, long[][]> lines = new HashMap<>();
        private final Relax.Relaxed parent;
        private final boolean undecidedOnly;

        Bounds(Q[] qLo, Q[] qHi, int[] fix, boolean flipTies) {
            this(qLo, qHi, fix, flipTies, null, false);
        }

        /**
         * The same inside a parent node's set: every interval is intersected with the parent's. With
         * {@code undecidedOnly} CROWN back-substitutes only the units whose interval straddles 0, as
         * the search does (a decided unit's line is its exact piece; the variant is sound like the
         * other, and CROWN not being monotone in its intermediate bounds, the two can differ).
         */
        Bounds(Q[] qLo, Q[] qHi, int[] fix, boolean flipTies, Relax.Relaxed parent, boolean undecidedOnly) {
            this.parent = parent == null || parent.infeasible() ? null : parent;
            this.undecidedOnly = undecidedOnly;
            this.fix = fix;
            this.flipTies = flipTies;
            int nb = code.size.size();
            lo = new long[nb][];
            hi = new long[nb][];
            phase = new int[code.units];
            Arrays.fill(phase, -1);
            boxLo = new long[code.inputs];
            boxHi = new long[code.inputs];
            for (int j = 0; j < code.inputs; j++) {
                boxLo[j] = floorFix(qLo[j]);
                boxHi[j] = ceilFix(qHi[j]);
            }
            lo[0] = boxLo.clone();
            hi[0] = boxHi.clone();
            for (int q = 0; q < code.ops.size() && !infeasible; q++) {
                Relax.G g = code.ops.get(q);
                if (g instanceof Relax.Aff a) {
                    affine(a, q);
                    meet(a.dst());
                } else if (g instanceof Relax.Sum s) {
                    int n = code.size.get(s.dst());
                    lo[s.dst()] = new long[n];
                    hi[s.dst()] = new long[n];
                    for (int i = 0; i < n; i++) {
                        lo[s.dst()][i] = Math.addExact(lo[s.a()][i], lo[s.b()][i]);
                        hi[s.dst()][i] = Math.addExact(hi[s.a()][i], hi[s.b()][i]);
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

        @Override
        public int[] phase() {
            return phase;
        }

        @Override
        public boolean infeasible() {
            return infeasible;
        }

        /**
         * Intersects buffer b's intervals with the parent's: a parent of this kind directly, a precise
         * one (2^−80) rounded outward to this scale (2^−40), skipped where that does not fit a long.
         */
        private void meet(int b) {
            if (parent == null) {
                return;
            }
            long[] l = lo[b];
            long[] h = hi[b];
            if (parent instanceof Bounds pb && pb.lo[b] != null) {
                for (int i = 0; i < l.length; i++) {
                    l[i] = Math.max(l[i], pb.lo[b][i]);
                    h[i] = Math.min(h[i], pb.hi[b][i]);
                }
            } else {
                BigInteger[] pl = parent.lowerFix(b);
                BigInteger[] ph = parent.upperFix(b);
                if (pl == null || ph == null) {
                    return;
                }
                for (int i = 0; i < l.length; i++) {
                    BigInteger a = pl[i].shiftRight(Relax.F - G);                    // floor
                    BigInteger c = ph[i].negate().shiftRight(Relax.F - G).negate();    // ceil
                    if (a.bitLength() < 63) {
                        l[i] = Math.max(l[i], a.longValue());
                    }
                    if (c.bitLength() < 63) {
                        h[i] = Math.min(h[i], c.longValue());
                    }
                }
            }
            for (int i = 0; i < l.length; i++) {
                if (l[i] > h[i]) {
                    infeasible = true;
                }
            }
        }

        @Override
        public BigInteger[] lowerFix(int b) {
            return widen(lo[b]);
        }

        @Override
        public BigInteger[] upperFix(int b) {
            return widen(hi[b]);
        }

        private BigInteger[] widen(long[] v) {
            if (v == null) {
                return null;
            }
            BigInteger[] r = new BigInteger[v.length];
            for (int i = 0; i < v.length; i++) {
                r[i] = BigInteger.valueOf(v[i]).shiftLeft(Relax.F - G);        // exact: 2^−40 values at 2^−80
            }
            return r;
        }

        private long[] cat(long[] a, long[] b) {
            long[] r = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, r, a.length, b.length);
            return r;
        }

        private long mag(int b, int j) {
            return Math.max(Math.abs(lo[b][j]), Math.abs(hi[b][j]));
        }

        private long[][] weights(int q) {
            long[][] w = wf.get(q);
            if (w == null) {
                throw new ArithmeticException("no fast weights");
            }
            return w;
        }

        private void affine(Relax.Aff a, int q) {
            Net.Lin l = a.lin();
            long[][] w = weights(q);
            long[][] b = bias.get(q);
            boolean rough = inexact.get(q);
            long[] sl = lo[a.src()];
            long[] sh = hi[a.src()];
            int n = l.idx.length;
            long[] yl = new long[n];
            long[] yh = new long[n];
            for (int i = 0; i < n; i++) {
                long up = b[1][i];
                long dn = b[0][i];
                for (int t = 0; t < l.idx[i].length; t++) {
                    long wt = w[i][t];
                    int x = l.idx[i][t];
                    if (wt != 0) {
                        up = Math.addExact(up, Math.max(mulShift(wt, sl[x], G, true), mulShift(wt, sh[x], G, true)));
                        dn = Math.addExact(dn, Math.min(mulShift(wt, sl[x], G, false), mulShift(wt, sh[x], G, false)));
                    }
                    if (rough) {                   // w = wf + δ, 0 ≤ δ < 2^−G
                        long e = unitErr(Math.max(Math.abs(sl[x]), Math.abs(sh[x])));
                        up = Math.addExact(up, e);
                        dn = Math.subtractExact(dn, e);
                    }
                }
                yl[i] = dn;
                yh[i] = up;
            }
            lo[a.dst()] = yl;
            hi[a.dst()] = yh;
        }

        /** φ(z) = pos·z (z &gt; 0), neg·z: ⌊⌋ (up: ⌈⌉), exactly from the rational slopes. */
        private long phi(Net.Act a, long z, boolean up) {
            BigInteger p = z > 0 ? a.pos() : a.neg();
            BigInteger n = BigInteger.valueOf(z).multiply(p);
            return (up ? Relax.ceil(n, a.den()) : Relax.floor(n, a.den())).longValueExact();
        }

        /** A valid line's intercept for slope s (fixed point): max (upper) or min of φ(z) − s·z over {l, 0, h} ∩ [l, h]. */
        private long intercept(Net.Act a, long l, long h, long s, boolean upper) {
            long[] zs = l < 0 && h > 0 ? new long[]{l, 0, h} : new long[]{l, h};
            long best = 0;
            for (int e = 0; e < zs.length; e++) {
                long v = Math.subtractExact(phi(a, zs[e], upper), mulShift(s, zs[e], G, !upper));
                best = e == 0 ? v : upper ? Math.max(best, v) : Math.min(best, v);
            }
            return best;
        }

        private void activation(Relax.Act a, int q) {
            long[] zl = lo[a.src()];
            long[] zh = hi[a.src()];
            int n = zl.length;
            Net.Act ac = a.a();
            Q pos = Q.of(ac.pos(), ac.den());
            Q neg = Q.of(ac.neg(), ac.den());
            boolean convex = pos.compareTo(neg) >= 0;
            long posF = floorFix(pos);
            long negF = floorFix(neg);
            long[] yl = new long[n];
            long[] yh = new long[n];
            long[] sU = new long[n];
            long[] tU = new long[n];
            long[] sL = new long[n];
            long[] tL = new long[n];
            for (int i = 0; i < n; i++) {
                int u = a.first() + i;
                int f = fix == null ? -1 : fix[u];
                long l = zl[i];
                long h = zh[i];
                if (f == 1) {
                    if (h <= 0) {
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
                phase[u] = f >= 0 ? f : l >= 0 ? 1 : h <= 0 ? 0 : -1;
                if (phase[u] >= 0) {
                    sU[i] = phase[u] == 1 ? posF : negF;
                    sL[i] = sU[i];
                } else {
                    // the chord's slope (pos·h − neg·l)/(h − l), rounded down; its line's intercept is recomputed below
                    Q lq = value(l);
                    Q hq = value(h);
                    long chord = floorFix(pos.mul(hq).sub(neg.mul(lq)).div(hq.sub(lq)));
                    boolean up = h >= -l;
                    if (flipTies && Math.abs(Math.addExact(h, l)) <= (Math.subtractExact(h, l) >> 30)) {
                        up = !up;
                    }
                    long tangent = up ? posF : negF;
                    sU[i] = convex ? chord : tangent;
                    sL[i] = convex ? tangent : chord;
                }
                tU[i] = intercept(ac, l, h, sU[i], true);
                tL[i] = intercept(ac, l, h, sL[i], false);
                long a1 = phi(ac, l, false);
                long a2 = phi(ac, h, false);
                long b1 = phi(ac, l, true);
                long b2 = phi(ac, h, true);
                long mn = Math.min(a1, a2);
                long mx = Math.max(b1, b2);
                if (l < 0 && h > 0) {
                    mn = Math.min(mn, 0);
                    mx = Math.max(mx, 0);
                }
                yl[i] = mn;
                yh[i] = mx;
            }
            lo[a.dst()] = yl;
            hi[a.dst()] = yh;
            lines.put(q, new long[][]{sU, tU, sL, tL});
        }

        private void maxpool(Relax.Max m) {
            long[] zl = lo[m.src()];
            long[] zh = hi[m.src()];
            int n = m.win().length;
            long[] yl = new long[n];
            long[] yh = new long[n];
            for (int o = 0; o < n; o++) {
                int u = m.first() + o;
                int[] w = m.win()[o];
                int f = fix == null ? -1 : fix[u];
                long maxLo = zl[w[0]];
                long maxHi = zh[w[0]];
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
                    if (maxLo > zh[w[f]]) {
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
                if (all || (lo[b][i] < 0 && hi[b][i] > 0)) {
                    rows[m++] = i;
                }
            }
            if (m == 0) {
                return;
            }
            long[][] a0 = new long[2 * m][n];
            for (int r = 0; r < m; r++) {
                a0[r][rows[r]] = ONE;
                a0[m + r][rows[r]] = -ONE;
            }
            long[] ub = upper(b, q, a0);
            for (int r = 0; r < m; r++) {
                int i = rows[r];
                hi[b][i] = Math.min(hi[b][i], ub[r]);
                lo[b][i] = Math.max(lo[b][i], Math.negateExact(ub[m + r]));
            }
        }

        @Override
        public Q bound(Q[] c, Q offset) {
            int out = code.out;
            int n = code.size.get(out);
            long[] ol = lo[out];
            long[] oh = hi[out];
            Q ibp = Q.ZERO;
            long[][] a0 = new long[1][n];
            long extra = 0;
            for (int i = 0; i < n; i++) {
                if (c[i].signum() != 0) {
                    ibp = ibp.add(c[i].signum() > 0 ? c[i].mul(value(oh[i])) : c[i].mul(value(ol[i])));
                }
                a0[0][i] = floorFix(c[i]);
                if (!value(a0[0][i]).equals(c[i])) {
                    extra = Math.addExact(extra, unitErr(Math.max(Math.abs(ol[i]), Math.abs(oh[i]))));
                }
            }
            Q crown = value(Math.addExact(upper(out, code.ops.size(), a0)[0], extra));
            return (crown.compareTo(ibp) < 0 ? crown : ibp).add(offset);
        }

        private long[] upper(int b, int q, long[][] a0) {
            int m = a0.length;
            Map<Integer, long[][]> lam = new HashMap<>();
            lam.put(b, a0);
            long[] c = new long[m];
            for (int p = q - 1; p >= 0; p--) {
                Relax.G g = code.ops.get(p);
                long[][] a = lam.remove(g.dst());
                if (a == null) {
                    continue;
                }
                if (g instanceof Relax.Aff f) {
                    add(lam, f.src(), backAffine(f, p, a, c));
                } else if (g instanceof Relax.Sum s) {
                    add(lam, s.a(), a);
                    long[][] cp = new long[a.length][];
                    for (int i = 0; i < a.length; i++) {
                        cp[i] = a[i].clone();
                    }
                    add(lam, s.b(), cp);
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
            long[][] ain = lam.get(0);
            long[] r = new long[m];
            for (int i = 0; i < m; i++) {
                long s = c[i];
                if (ain != null) {
                    for (int j = 0; j < code.inputs; j++) {
                        long v = ain[i][j];
                        if (v != 0) {
                            s = Math.addExact(s, mulShift(v, v > 0 ? boxHi[j] : boxLo[j], G, true));
                        }
                    }
                }
                r[i] = s;
            }
            return r;
        }

        private long[][] backAffine(Relax.Aff f, int p, long[][] a, long[] c) {
            Net.Lin l = f.lin();
            long[][] w = weights(p);
            long[][] bs = bias.get(p);
            boolean rough = inexact.get(p);
            int src = f.src();
            int ns = code.size.get(src);
            long[] rowMag = null;
            if (rough) {
                rowMag = new long[l.idx.length];            // Σ_x max|h_x| over row j's inputs
                for (int j = 0; j < rowMag.length; j++) {
                    for (int t = 0; t < l.idx[j].length; t++) {
                        rowMag[j] = Math.addExact(rowMag[j], mag(src, l.idx[j][t]));
                    }
                }
            }
            long[][] o = new long[a.length][ns];
            long[] sHi = new long[ns];
            long[] sLo = new long[ns];
            for (int i = 0; i < a.length; i++) {
                Arrays.fill(sHi, 0);
                Arrays.fill(sLo, 0);
                long ci = c[i];
                for (int j = 0; j < l.idx.length; j++) {
                    long v = a[i][j];
                    if (v == 0) {
                        continue;
                    }
                    for (int t = 0; t < l.idx[j].length; t++) {
                        long wt = w[j][t];
                        if (wt != 0) {
                            int x = l.idx[j][t];
                            long ph = Math.multiplyHigh(v, wt);
                            long pl = v * wt;
                            long nl = sLo[x] + pl;
                            sHi[x] = Math.addExact(Math.addExact(sHi[x], ph), Long.compareUnsigned(nl, pl) < 0 ? 1 : 0);
                            sLo[x] = nl;
                        }
                    }
                    ci = Math.addExact(ci, mulShift(v, v > 0 ? bs[1][j] : bs[0][j], G, true));
                    if (rough) {                   // Λ_j·δ·h over the row's inputs, δ < 2^−G
                        ci = Math.addExact(ci, errShift(Math.absExact(v), rowMag[j]));
                    }
                }
                c[i] = ci;
                for (int x = 0; x < ns; x++) {
                    long hiW = sHi[x];
                    long loW = sLo[x];
                    long r = (hiW << (64 - G)) | (loW >>> G);          // ⌊(hi:lo) / 2^G⌋
                    if ((hiW >> G) != (r >> 63)) {
                        throw new ArithmeticException("fixed-point overflow");
                    }
                    if ((loW & (ONE - 1)) != 0) {
                        c[i] = Math.addExact(c[i], unitErr(mag(src, x)));
                    }
                    o[i][x] = r;
                }
            }
            return o;
        }

        private long[][] backAct(Relax.Act ac, int p, long[][] a, long[] c) {
            long[][] ln = lines.get(p);
            int src = ac.src();
            int n = code.size.get(src);
            long[][] o = new long[a.length][n];
            for (int i = 0; i < a.length; i++) {
                long ci = c[i];
                for (int j = 0; j < n; j++) {
                    long v = a[i][j];
                    if (v == 0) {
                        continue;
                    }
                    long s = v >= 0 ? ln[0][j] : ln[2][j];
                    long t = v >= 0 ? ln[1][j] : ln[3][j];
                    o[i][j] = mulShift(v, s, G, false);
                    if (!exact(v, s, G)) {
                        ci = Math.addExact(ci, unitErr(mag(src, j)));
                    }
                    if (t != 0) {
                        ci = Math.addExact(ci, mulShift(v, t, G, true));
                    }
                }
                c[i] = ci;
            }
            return o;
        }

        private long[][] backMax(Relax.Max mx, long[][] a, long[] c) {
            int src = mx.src();
            int n = code.size.get(src);
            long[][] o = new long[a.length][n];
            long[] zl = lo[src];
            long[] zh = hi[src];
            for (int w = 0; w < mx.win().length; w++) {
                int[] win = mx.win()[w];
                int u = mx.first() + w;
                int best = win[0];
                long top = zh[win[0]];
                for (int idx : win) {
                    best = zl[idx] > zl[best] ? idx : best;
                    top = Math.max(top, zh[idx]);
                }
                int target = phase[u] >= 0 ? win[phase[u]] : best;
                for (int i = 0; i < a.length; i++) {
                    long v = a[i][w];
                    if (v == 0) {
                        continue;
                    }
                    if (phase[u] >= 0 || v < 0) {
                        o[i][target] = Math.addExact(o[i][target], v);
                    } else {
                        c[i] = Math.addExact(c[i], mulShift(v, top, G, true));
                    }
                }
            }
            return o;
        }
    }

    private static void add(Map<Integer, long[][]> lam, int b, long[][] a) {
        long[][] t = lam.get(b);
        if (t == null) {
            lam.put(b, a);
            return;
        }
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                t[i][j] = Math.addExact(t[i][j], a[i][j]);
            }
        }
    }

    private static long[][] slice(long[][] a, int from, int n) {
        long[][] r = new long[a.length][n];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], from, r[i], 0, n);
        }
        return r;
    }
}
