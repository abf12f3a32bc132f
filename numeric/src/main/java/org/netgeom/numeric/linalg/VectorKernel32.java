package org.netgeom.numeric.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 register-blocked micro-kernel on the Vector API: a 4 × (4 vectors) tile of C in 16
 * float vector registers (4 × 64 floats with 512-bit vectors), one broadcast of A and one float
 * fused multiply-add per accumulator and k step (Goto and van de Geijn, ACM TOMS 34(3), 2008, as
 * {@link VectorKernel}); the tile is
 * then added to the binary64 C element by element (blocks of k are long, {@link Gemm32#KC}, so
 * this is a small part of the work). Twice the lanes of the float64 kernel per instruction.
 */
final class VectorKernel32 implements FloatKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
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
        return "vector-f32-" + S.vectorBitSize() + "bit-" + MR + "x" + NR;
    }

    @Override
    public void run(float[] ap, int ao, float[] bp, int kc, double[] c, int co, int ldc, int mr, int nr, float[] t) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z;
        FloatVector c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z;
        FloatVector c30 = z, c31 = z, c32 = z, c33 = z;
        for (int p = 0; p < kc; p++) {
            int a = ao + p * MR;
            int b = p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, b + 0 * L);
            FloatVector b1 = FloatVector.fromArray(S, bp, b + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, bp, b + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, b + 3 * L);
            FloatVector x = FloatVector.broadcast(S, ap[a + 0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, ap[a + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, ap[a + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, ap[a + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
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
