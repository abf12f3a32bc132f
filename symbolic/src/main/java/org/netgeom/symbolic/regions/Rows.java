package org.netgeom.symbolic.regions;

import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.Form;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A working buffer of the network program: n affine forms in k variables (rows of width
 * w = k + 1, constant last), as integer numerators over one positive common denominator (longs,
 * or BigIntegers once a value does not fit), or as doubles in the float64 run. All arithmetic
 * is exact in the integer modes: long operations are overflow-checked and redone in BigInteger
 * when they overflow.
 */
final class Rows {
    static final byte LONG = 0;
    static final byte BIG = 1;
    static final byte FLOAT = 2;
    private static final long REDUCE_ABOVE = 1L << 24;

    final int n;
    final int w;
    byte mode;
    long[] num;
    long den = 1;
    BigInteger[] big;
    BigInteger bden;
    double[] d;
    boolean[] zero;     // scratch: which rows are zero (see linear)
    // the last long product into this buffer (see unchecked): its unreduced rows, the input rows and
    // denominator it was made from, their largest magnitude, and the matrix by columns
    private long[] acc;
    private long[] lastSrc;
    private long lastSrcDen;
    private long lastMax;
    private IntMatrix accFor;
    private int[] colStart;
    private int[] colRow;
    private long[] colVal;
    private int[] changed;

    Rows(int n, int w, boolean float64) {
        this.n = n;
        this.w = w;
        this.mode = float64 ? FLOAT : LONG;
        if (float64) {
            d = new double[n * w];
        } else {
            num = new long[n * w];
        }
    }

    /** Fills this buffer with the exact rows of an affine map (rows = outputs). */
    void set(AffineMap m) {
        Rational[] all = new Rational[n * w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w - 1; j++) {
                all[i * w + j] = m.a(i, j);
            }
            all[i * w + w - 1] = m.b(i);
        }
        if (mode == FLOAT) {
            for (int i = 0; i < all.length; i++) {
                d[i] = all[i].doubleValue();
            }
            return;
        }
        BigInteger l = BigInteger.ONE;
        for (Rational q : all) {
            BigInteger dq = q.denominator();
            l = l.divide(l.gcd(dq)).multiply(dq);
        }
        BigInteger[] b = new BigInteger[all.length];
        boolean fits = l.bitLength() < 62;
        for (int i = 0; i < all.length; i++) {
            b[i] = all[i].numerator().multiply(l.divide(all[i].denominator()));
            fits &= b[i].bitLength() < 62;
        }
        if (fits) {
            toLong();
            for (int i = 0; i < b.length; i++) {
                num[i] = b[i].longValue();
            }
            den = l.longValue();
        } else {
            mode = BIG;
            big = b;
            bden = l;
        }
    }

    private void toLong() {
        mode = LONG;
        if (num == null) {
            num = new long[n * w];
        }
    }

    private void toBig() {
        mode = BIG;
        if (big == null || big.length != n * w) {
            big = new BigInteger[n * w];
        }
    }

    BigInteger numBig(int idx) {
        return mode == LONG ? BigInteger.valueOf(num[idx]) : big[idx];
    }

    BigInteger denBig() {
        return mode == LONG ? BigInteger.valueOf(den) : bden;
    }

    /** Row i as a form. */
    Form form(int i) {
        int o = i * w;
        if (mode == LONG) {
            return Form.ofScaled(Arrays.copyOfRange(num, o, o + w), den);
        }
        if (mode == BIG) {
            return Form.ofBig(Arrays.copyOfRange(big, o, o + w), bden);
        }
        return Form.ofDoubles(Arrays.copyOfRange(d, o, o + w));
    }

    /** The rows as an exact affine map (or from doubles in float64 mode: exact binary values). */
    AffineMap toMap() {
        Rational[][] a = new Rational[n][w - 1];
        Rational[] b = new Rational[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) {
                int idx = i * w + j;
                Rational q = mode == LONG ? Rational.of(num[idx], den) : mode == BIG ? Rational.of(big[idx], bden)
                        : Rational.fromDouble(d[idx]);
                if (j < w - 1) {
                    a[i][j] = q;
                } else {
                    b[i] = q;
                }
            }
        }
        return new AffineMap(a, b);
    }

    /** A compact immutable copy. */
    Snapshot snapshot() {
        return switch (mode) {
            case LONG -> new Snapshot(n, w, num.clone(), den, null, null, null);
            case BIG -> new Snapshot(n, w, null, 0, big.clone(), bden, null);
            default -> new Snapshot(n, w, null, 0, null, null, d.clone());
        };
    }

    /** An immutable copy of a buffer: the exact output map of one cell, kept compactly. */
    record Snapshot(int n, int w, long[] num, long den, BigInteger[] big, BigInteger bden, double[] d) {
        AffineMap toMap() {
            Rows r = new Rows(n, w, d != null);
            if (num != null) {
                r.num = num;
                r.den = den;
            } else if (big != null) {
                r.mode = BIG;
                r.big = big;
                r.bden = bden;
            } else {
                r.d = d;
            }
            return r.toMap();
        }
    }

    // ------------------------------------------------------------------ operations

    /**
     * dst = M src + β (M scaled: (M' src.num + β' src.den) / (E src.den)): in longs when a bound
     * proves that nothing can overflow, in BigIntegers otherwise.
     */
    static void linear(IntMatrix m, Rows src, Rows dst) {
        int w = src.w;
        if (src.mode == FLOAT) {
            double[] s = src.d;
            double[] o = dst.d;
            for (int j = 0; j < m.rows; j++) {
                int oj = j * w;
                for (int c = 0; c < w; c++) {
                    o[oj + c] = 0;
                }
                for (int p = m.start[j]; p < m.start[j + 1]; p++) {
                    double v = m.dval[p];
                    int si = m.col[p] * w;
                    for (int c = 0; c < w; c++) {
                        o[oj + c] += v * s[si + c];
                    }
                }
                o[oj + w - 1] += m.dbias[j];
            }
            return;
        }
        if (src.mode == LONG && m.val != null && unchecked(m, src, dst)) {
            return;
        }
        dst.accFor = null;
        dst.toBig();
        BigInteger sd = src.denBig();
        for (int j = 0; j < m.rows; j++) {
            int oj = j * w;
            BigInteger[] acc = new BigInteger[w];
            Arrays.fill(acc, BigInteger.ZERO);
            for (int p = m.start[j]; p < m.start[j + 1]; p++) {
                BigInteger v = m.bval[p];
                int si = m.col[p] * w;
                for (int c = 0; c < w; c++) {
                    acc[c] = acc[c].add(v.multiply(src.numBig(si + c)));
                }
            }
            acc[w - 1] = acc[w - 1].add(m.bbias[j].multiply(sd));
            System.arraycopy(acc, 0, dst.big, oj, w);
        }
        dst.bden = m.bscale.multiply(sd);
        dst.reduceBig();
    }

    /**
     * The long product without overflow checks, when a bound proves that none can occur:
     * |out| ≤ max_j Σ|M_j·|·max|src| + max|β|·den &lt; 2^62. Rows of src that are zero (units that
     * are off) are skipped. Returns false (doing nothing) when the bound does not hold.
     *
     * <p>Incremental: when the last product into dst was made by the same matrix from rows over the
     * same denominator, and only some rows of src changed since (a sign unit of the layer before
     * changed its phase; the units before it did not), the unreduced product is updated by the
     * columns of those rows, out += M[:, i]·(src_i − src_i before), instead of being made afresh:
     * the same integers (so the same reduced rows), in r·(column length)·w operations instead of
     * nnz(M)·w. The partial sums stay below 2^62 by 3·max_j Σ|M_j·|·max(max|src|, max|src before|)
     * + max|β|·den &lt; 2^62, else the product is made afresh.
     */
    private static boolean unchecked(IntMatrix m, Rows src, Rows dst) {
        int w = src.w;
        long[] s = src.num;
        if (src.zero == null || src.zero.length < src.n) {
            src.zero = new boolean[src.n];
        }
        boolean[] zero = src.zero;
        long max = 0;
        for (int i = 0; i < src.n; i++) {
            boolean z = true;
            for (int c = 0; c < w; c++) {
                long v = s[i * w + c];
                if (v != 0) {
                    z = false;
                    max = Math.max(max, v == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(v));
                }
            }
            zero[i] = z;
        }
        if (!below62(m.maxRowAbs, max) || !below62(m.maxBiasAbs, src.den)) {
            return false;
        }
        long a = m.maxRowAbs * max;
        long b = m.maxBiasAbs * src.den;
        if (a + b >= (1L << 62)) {
            return false;
        }
        long dd;
        try {
            dd = Math.multiplyExact(m.scale, src.den);
        } catch (ArithmeticException overflow) {
            return false;
        }
        dst.toLong();
        long[] o = dst.num;
        long sd = src.den;
        if (dst.accFor == m && dst.lastSrcDen == sd && incremental(m, src, dst, max)) {
            System.arraycopy(dst.acc, 0, o, 0, o.length);
        } else {
            for (int j = 0; j < m.rows; j++) {
                int oj = j * w;
                for (int c = 0; c < w; c++) {
                    o[oj + c] = 0;
                }
                for (int p = m.start[j]; p < m.start[j + 1]; p++) {
                    int col = m.col[p];
                    if (zero[col]) {
                        continue;
                    }
                    long v = m.val[p];
                    int si = col * w;
                    for (int c = 0; c < w; c++) {
                        o[oj + c] += v * s[si + c];
                    }
                }
                o[oj + w - 1] += m.bias[j] * sd;
            }
            if (dst.acc == null || dst.acc.length != o.length) {
                dst.acc = new long[o.length];
            }
            System.arraycopy(o, 0, dst.acc, 0, o.length);
            if (dst.lastSrc == null || dst.lastSrc.length != src.n * w) {
                dst.lastSrc = new long[src.n * w];
            }
            System.arraycopy(s, 0, dst.lastSrc, 0, src.n * w);
            dst.lastSrcDen = sd;
            dst.lastMax = max;
            dst.accFor = m;
        }
        dst.den = dd;
        dst.reduce();
        return true;
    }

    /** Updates dst.acc by the columns of the rows of src that changed (see unchecked); false when it would not pay or the bound fails. */
    private static boolean incremental(IntMatrix m, Rows src, Rows dst, long max) {
        int w = src.w;
        long[] s = src.num;
        long[] last = dst.lastSrc;
        long big = Math.max(max, dst.lastMax);
        if (!below62(m.maxRowAbs, big) || m.maxRowAbs * big >= (1L << 60) || m.maxBiasAbs * src.den >= (1L << 60)) {
            return false;
        }
        if (dst.changed == null || dst.changed.length < src.n) {
            dst.changed = new int[src.n];
        }
        int[] ch = dst.changed;
        int r = 0;
        for (int i = 0; i < src.n; i++) {
            int o = i * w;
            for (int c = 0; c < w; c++) {
                if (s[o + c] != last[o + c]) {
                    ch[r++] = i;
                    break;
                }
            }
        }
        if (2 * r > src.n) {
            return false;            // most rows changed: the product afresh costs no more
        }
        if (dst.colStart == null) {
            columns(m, dst);
        }
        long[] acc = dst.acc;
        for (int q = 0; q < r; q++) {
            int i = ch[q];
            int o = i * w;
            for (int c = 0; c < w; c++) {
                long d = s[o + c] - last[o + c];         // |d| < 2^63: both below 2^62 in magnitude
                if (d == 0) {
                    continue;
                }
                for (int p = dst.colStart[i]; p < dst.colStart[i + 1]; p++) {
                    acc[dst.colRow[p] * w + c] += dst.colVal[p] * d;
                }
                last[o + c] = s[o + c];
            }
        }
        dst.lastMax = max;
        return true;
    }

    /** M by columns (CSC), for the incremental product into dst. */
    private static void columns(IntMatrix m, Rows dst) {
        int[] cs = new int[m.cols + 1];
        for (int p = 0; p < m.col.length; p++) {
            cs[m.col[p] + 1]++;
        }
        for (int i = 0; i < m.cols; i++) {
            cs[i + 1] += cs[i];
        }
        int[] fill = Arrays.copyOf(cs, m.cols);
        int[] rows = new int[m.col.length];
        long[] vals = new long[m.col.length];
        for (int j = 0; j < m.rows; j++) {
            for (int p = m.start[j]; p < m.start[j + 1]; p++) {
                int q = fill[m.col[p]]++;
                rows[q] = j;
                vals[q] = m.val[p];
            }
        }
        dst.colStart = cs;
        dst.colRow = rows;
        dst.colVal = vals;
    }

    /** a·b &lt; 2^62 for non-negative a, b. */
    private static boolean below62(long a, long b) {
        return Math.multiplyHigh(a, b) == 0 && a * b >= 0 && a * b < (1L << 62);
    }

    /** Divides numerators and denominator by their gcd once the denominator grows large. */
    private void reduce() {
        if (den <= REDUCE_ABOVE) {
            return;
        }
        long g = den;
        for (int i = 0; i < n * w && g > 1; i++) {
            g = gcd(g, Math.abs(num[i]));
        }
        if (g > 1) {
            for (int i = 0; i < n * w; i++) {
                num[i] /= g;
            }
            den /= g;
        }
    }

    private void reduceBig() {
        BigInteger g = bden;
        for (int i = 0; i < n * w && !g.equals(BigInteger.ONE); i++) {
            g = g.gcd(big[i]);
        }
        if (!g.equals(BigInteger.ONE)) {
            for (int i = 0; i < n * w; i++) {
                big[i] = big[i].divide(g);
            }
            bden = bden.divide(g);
        }
        boolean fits = bden.bitLength() < 62;
        for (int i = 0; i < n * w && fits; i++) {
            fits = big[i].bitLength() < 62;
        }
        if (fits) {
            toLong();
            for (int i = 0; i < n * w; i++) {
                num[i] = big[i].longValue();
            }
            den = bden.longValue();
        }
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * Prepares dst to receive src's rows scaled by integer slopes over {@code q} (an activation
     * layer): the mode is chosen so that no later row operation can overflow.
     */
    static void scaleStart(Rows src, Rows dst, long maxSlope, BigInteger q) {
        if (src.mode == FLOAT) {
            return;
        }
        if (src.mode == LONG && maxSlope < (1L << 31) && q.bitLength() < 62) {
            long max = 0;
            for (int i = 0; i < src.n * src.w; i++) {
                long a = src.num[i] == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(src.num[i]);
                max = Math.max(max, a);
            }
            long lo = max * maxSlope;
            if (Math.multiplyHigh(max, maxSlope) == 0 && lo >= 0 && lo < (1L << 62)) {
                try {
                    dst.den = Math.multiplyExact(src.den, q.longValue());
                    dst.toLong();
                    return;
                } catch (ArithmeticException overflow) {
                    // BigInteger below
                }
            }
        }
        dst.toBig();
        dst.bden = src.denBig().multiply(q);
    }

    /** dst row i = slope · src row i (slope an integer over the q given to scaleStart). */
    static void scaleRow(Rows src, Rows dst, int i, long slope, BigInteger slopeB, double slopeD) {
        int o = i * src.w;
        if (src.mode == FLOAT) {
            for (int c = 0; c < src.w; c++) {
                dst.d[o + c] = slopeD * src.d[o + c];
            }
        } else if (dst.mode == LONG) {
            for (int c = 0; c < src.w; c++) {
                dst.num[o + c] = slope * src.num[o + c];      // no overflow: checked by scaleStart
            }
        } else {
            for (int c = 0; c < src.w; c++) {
                dst.big[o + c] = src.numBig(o + c).multiply(slopeB);
            }
        }
    }

    /** Prepares dst to receive whole rows of src (max pooling). */
    static void copyStart(Rows src, Rows dst) {
        if (src.mode == LONG) {
            dst.toLong();
            dst.den = src.den;
        } else if (src.mode == BIG) {
            dst.toBig();
            dst.bden = src.bden;
        }
    }

    /** dst row i = src row j. */
    static void copyRow(Rows src, int j, Rows dst, int i) {
        int w = src.w;
        if (src.mode == LONG) {
            System.arraycopy(src.num, j * w, dst.num, i * w, w);
        } else if (src.mode == BIG) {
            System.arraycopy(src.big, j * w, dst.big, i * w, w);
        } else {
            System.arraycopy(src.d, j * w, dst.d, i * w, w);
        }
    }

    /** dst = a + b (sign +1) or the rows of a then those of b (concatenation, sign 0). */
    static void combine(Rows a, Rows b, Rows dst, boolean concat) {
        int w = a.w;
        if (a.mode == FLOAT) {
            if (concat) {
                System.arraycopy(a.d, 0, dst.d, 0, a.n * w);
                System.arraycopy(b.d, 0, dst.d, a.n * w, b.n * w);
            } else {
                for (int i = 0; i < a.n * w; i++) {
                    dst.d[i] = a.d[i] + b.d[i];
                }
            }
            return;
        }
        if (a.mode == LONG && b.mode == LONG) {
            try {
                long g = gcd(a.den, b.den);
                long fa = b.den / g;
                long fb = a.den / g;
                long dd = Math.multiplyExact(a.den, fa);
                dst.toLong();
                if (concat) {
                    for (int i = 0; i < a.n * w; i++) {
                        dst.num[i] = Math.multiplyExact(a.num[i], fa);
                    }
                    for (int i = 0; i < b.n * w; i++) {
                        dst.num[a.n * w + i] = Math.multiplyExact(b.num[i], fb);
                    }
                } else {
                    for (int i = 0; i < a.n * w; i++) {
                        dst.num[i] = Math.addExact(Math.multiplyExact(a.num[i], fa), Math.multiplyExact(b.num[i], fb));
                    }
                }
                dst.den = dd;
                dst.reduce();
                return;
            } catch (ArithmeticException overflow) {
                // BigInteger below
            }
        }
        BigInteger ad = a.denBig();
        BigInteger bd = b.denBig();
        BigInteger[] out = new BigInteger[dst.n * w];
        if (concat) {
            for (int i = 0; i < a.n * w; i++) {
                out[i] = a.numBig(i).multiply(bd);
            }
            for (int i = 0; i < b.n * w; i++) {
                out[a.n * w + i] = b.numBig(i).multiply(ad);
            }
        } else {
            for (int i = 0; i < a.n * w; i++) {
                out[i] = a.numBig(i).multiply(bd).add(b.numBig(i).multiply(ad));
            }
        }
        dst.toBig();
        System.arraycopy(out, 0, dst.big, 0, out.length);
        dst.bden = ad.multiply(bd);
        dst.reduceBig();
    }
}
