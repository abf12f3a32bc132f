package org.netgeom.numeric.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked micro-kernel on the Vector API: a 4 × (4 vectors) tile of C stays in 16
 * vector registers while k runs, each step one broadcast of A and one fused multiply-add per
 * accumulator (the BLIS/Goto scheme: Goto and van de Geijn, "Anatomy of high-performance matrix
 * multiplication", ACM TOMS 34(3), 2008). With 512-bit vectors the tile is 4 × 32 doubles.
 * Loaded only when {@code jdk.incubator.vector} is resolved ({@code --add-modules}).
 */
final class VectorKernel implements Kernel {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 4;
    static final int NR = 4 * L;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize() + "bit-" + MR + "x" + NR;
    }

    @Override
    public void run(double[] ap, int ao, double[] bp, int kc, double[] c, int co, int ldc, int mr, int nr, double[] t) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c00 = z, c01 = z, c02 = z, c03 = z;
        DoubleVector c10 = z, c11 = z, c12 = z, c13 = z;
        DoubleVector c20 = z, c21 = z, c22 = z, c23 = z;
        DoubleVector c30 = z, c31 = z, c32 = z, c33 = z;
        for (int p = 0, a = ao, b = 0; p < kc; p++, a += MR, b += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, b);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, b + L);
            DoubleVector b2 = DoubleVector.fromArray(S, bp, b + 2 * L);
            DoubleVector b3 = DoubleVector.fromArray(S, bp, b + 3 * L);
            DoubleVector x = DoubleVector.broadcast(S, ap[a]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = DoubleVector.broadcast(S, ap[a + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = DoubleVector.broadcast(S, ap[a + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = DoubleVector.broadcast(S, ap[a + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
        }
        if (mr == MR && nr == NR) {
            int r0 = co;
            c00.add(DoubleVector.fromArray(S, c, r0)).intoArray(c, r0);
            c01.add(DoubleVector.fromArray(S, c, r0 + L)).intoArray(c, r0 + L);
            c02.add(DoubleVector.fromArray(S, c, r0 + 2 * L)).intoArray(c, r0 + 2 * L);
            c03.add(DoubleVector.fromArray(S, c, r0 + 3 * L)).intoArray(c, r0 + 3 * L);
            int r1 = co + ldc;
            c10.add(DoubleVector.fromArray(S, c, r1)).intoArray(c, r1);
            c11.add(DoubleVector.fromArray(S, c, r1 + L)).intoArray(c, r1 + L);
            c12.add(DoubleVector.fromArray(S, c, r1 + 2 * L)).intoArray(c, r1 + 2 * L);
            c13.add(DoubleVector.fromArray(S, c, r1 + 3 * L)).intoArray(c, r1 + 3 * L);
            int r2 = co + 2 * ldc;
            c20.add(DoubleVector.fromArray(S, c, r2)).intoArray(c, r2);
            c21.add(DoubleVector.fromArray(S, c, r2 + L)).intoArray(c, r2 + L);
            c22.add(DoubleVector.fromArray(S, c, r2 + 2 * L)).intoArray(c, r2 + 2 * L);
            c23.add(DoubleVector.fromArray(S, c, r2 + 3 * L)).intoArray(c, r2 + 3 * L);
            int r3 = co + 3 * ldc;
            c30.add(DoubleVector.fromArray(S, c, r3)).intoArray(c, r3);
            c31.add(DoubleVector.fromArray(S, c, r3 + L)).intoArray(c, r3 + L);
            c32.add(DoubleVector.fromArray(S, c, r3 + 2 * L)).intoArray(c, r3 + 2 * L);
            c33.add(DoubleVector.fromArray(S, c, r3 + 3 * L)).intoArray(c, r3 + 3 * L);
            return;
        }
        c00.intoArray(t, 0 * L);
        c01.intoArray(t, 1 * L);
        c02.intoArray(t, 2 * L);
        c03.intoArray(t, 3 * L);
        c10.intoArray(t, 4 * L);
        c11.intoArray(t, 5 * L);
        c12.intoArray(t, 6 * L);
        c13.intoArray(t, 7 * L);
        c20.intoArray(t, 8 * L);
        c21.intoArray(t, 9 * L);
        c22.intoArray(t, 10 * L);
        c23.intoArray(t, 11 * L);
        c30.intoArray(t, 12 * L);
        c31.intoArray(t, 13 * L);
        c32.intoArray(t, 14 * L);
        c33.intoArray(t, 15 * L);
        for (int i = 0; i < mr; i++) {
            int row = co + i * ldc;
            for (int j = 0; j < nr; j++) {
                c[row + j] += t[i * NR + j];
            }
        }
    }
}
