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
    static final BigInteger ONE = BigInteger.ONE.shiftLeft(F);

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
            } else if (op instanceof Net.Clamp c) {
                // hardtanh as min + relu(z − min) − relu(z − max), as the search compiles it: rows
                // z − min and z − max interleaved, two relu units per unit, then their difference
                int n = size.get(in);
                BigInteger den = Net.lcm(c.min().d(), c.max().d());
                BigInteger lo = c.min().n().multiply(den.divide(c.min().d()));
                BigInteger hi = c.max().n().multiply(den.divide(c.max().d()));
                int[][] upIdx = new int[2 * n][];
                BigInteger[][] upW = new BigInteger[2 * n][];
                BigInteger[] upC = new BigInteger[2 * n];
                int[][] dnIdx = new int[n][];
                BigInteger[][] dnW = new BigInteger[n][];
                BigInteger[] dnC = new BigInteger[n];
                for (int i = 0; i < n; i++) {
                    upIdx[2 * i] = new int[]{i};
                    upIdx[2 * i + 1] = new int[]{i};
                    upW[2 * i] = new BigInteger[]{den};
                    upW[2 * i + 1] = new BigInteger[]{den};
                    upC[2 * i] = lo.negate();
                    upC[2 * i + 1] = hi.negate();
                    dnIdx[i] = new int[]{2 * i, 2 * i + 1};
                    dnW[i] = new BigInteger[]{den, den.negate()};
                    dnC[i] = lo;
                }
                int up = buf(2 * n);
                ops.add(new Aff(in, up, new Net.Lin(upIdx, upW, upC, den)));
                int r = buf(2 * n);
                ops.add(new Act(up, r, units, new Net.Act(BigInteger.ONE, BigInteger.ZERO, BigInteger.ONE)));
                units += 2 * n;
                int d = buf(n);
                ops.add(new Aff(r, d, new Net.Lin(dnIdx, dnW, dnC, den)));
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
    static BigInteger unitErr(BigInteger mag) {
        return mag.add(ONE).subtract(BigInteger.ONE).shiftRight(F);
    }

    /** A sound relaxation of the net on a node: the units' phases it proves, emptiness, and upper bounds of c·f + offset. */
    interface Relaxed {
        int[] phase();

        boolean infeasible();

        Q bound(Q[] c, Q offset);

        /**
         * Buffer b's interval ends as integers at scale 2^−F (lower rounded down, upper up), or null
         * when not computed. A child node's set lies in its parent's, so the parent's intervals hold
         * there too and the child's relaxation intersects them with its own (as the search does).
         */
        BigInteger[] lowerFix(int b);

        BigInteger[] upperFix(int b);
    }

}
