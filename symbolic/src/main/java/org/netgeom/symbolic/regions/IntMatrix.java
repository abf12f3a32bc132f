package org.netgeom.symbolic.regions;

import org.netgeom.ir.Rational;

import java.math.BigInteger;
import java.util.List;

/**
 * A sparse rational matrix M (rows of (column, value)) and bias β, scaled to integers over one
 * positive common denominator E: y = (M' x + β') / E. Held in longs when every scaled value
 * fits, in BigIntegers otherwise, and as doubles for the float64 run.
 */
final class IntMatrix {
    final int rows;
    final int cols;
    final int[] start;      // CSR row starts (rows + 1)
    final int[] col;
    final long[] val;       // null when the BigInteger form is needed
    final long[] bias;
    final long scale;
    final BigInteger[] bval;
    final BigInteger[] bbias;
    final BigInteger bscale;
    final double[] dval;
    final double[] dbias;
    /** max_j Σ_p |val_jp| and max_j |bias_j| (long form only; Long.MAX_VALUE when they do not fit). */
    final long maxRowAbs;
    final long maxBiasAbs;

    /** One entry of a row. */
    record Entry(int col, Rational value) {
    }

    IntMatrix(int cols, List<List<Entry>> rowsIn, Rational[] biasIn) {
        this.rows = rowsIn.size();
        this.cols = cols;
        int nnz = 0;
        for (List<Entry> r : rowsIn) {
            for (Entry e : r) {
                if (!e.value().isZero()) {
                    nnz++;
                }
            }
        }
        start = new int[rows + 1];
        col = new int[nnz];
        Rational[] v = new Rational[nnz];
        int p = 0;
        for (int i = 0; i < rows; i++) {
            start[i] = p;
            for (Entry e : rowsIn.get(i)) {
                if (!e.value().isZero()) {
                    col[p] = e.col();
                    v[p++] = e.value();
                }
            }
        }
        start[rows] = p;
        BigInteger l = BigInteger.ONE;
        for (Rational q : v) {
            l = lcm(l, q.denominator());
        }
        for (Rational q : biasIn) {
            l = lcm(l, q.denominator());
        }
        BigInteger[] bv = new BigInteger[nnz];
        BigInteger[] bb = new BigInteger[rows];
        boolean fits = l.bitLength() < 62;
        for (int i = 0; i < nnz; i++) {
            bv[i] = v[i].numerator().multiply(l.divide(v[i].denominator()));
            fits &= bv[i].bitLength() < 62;
        }
        for (int i = 0; i < rows; i++) {
            bb[i] = biasIn[i].numerator().multiply(l.divide(biasIn[i].denominator()));
            fits &= bb[i].bitLength() < 62;
        }
        if (fits) {
            val = new long[nnz];
            bias = new long[rows];
            for (int i = 0; i < nnz; i++) {
                val[i] = bv[i].longValue();
            }
            for (int i = 0; i < rows; i++) {
                bias[i] = bb[i].longValue();
            }
            scale = l.longValue();
        } else {
            val = null;
            bias = null;
            scale = 0;
        }
        bval = bv;
        bbias = bb;
        bscale = l;
        long mr = 0;
        long mb = 0;
        if (val != null) {
            try {
                for (int i = 0; i < rows; i++) {
                    long r = 0;
                    for (int q = start[i]; q < start[i + 1]; q++) {
                        r = Math.addExact(r, Math.abs(val[q]));
                    }
                    mr = Math.max(mr, r);
                    mb = Math.max(mb, Math.abs(bias[i]));
                }
            } catch (ArithmeticException overflow) {
                mr = Long.MAX_VALUE;
            }
        }
        maxRowAbs = val == null ? Long.MAX_VALUE : mr;
        maxBiasAbs = val == null ? Long.MAX_VALUE : mb;
        dval = new double[nnz];
        dbias = new double[rows];
        for (int i = 0; i < nnz; i++) {
            dval[i] = v[i].doubleValue();
        }
        for (int i = 0; i < rows; i++) {
            dbias[i] = biasIn[i].doubleValue();
        }
    }

    private static BigInteger lcm(BigInteger a, BigInteger b) {
        if (b.equals(BigInteger.ONE)) {
            return a;
        }
        return a.divide(a.gcd(b)).multiply(b);
    }
}
