package org.netgeom.numeric.linalg;

import java.util.Arrays;

/** The plain-Java float32 micro-kernel (4×32 tile in a float scratch array); used without the Vector API. */
final class ScalarKernel32 implements FloatKernel {
    static final int MR = 4;
    static final int NR = 32;

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
        return "scalar-f32";
    }

    @Override
    public void run(float[] ap, int ao, float[] bp, int kc, double[] c, int co, int ldc, int mr, int nr, float[] t) {
        Arrays.fill(t, 0, MR * NR, 0f);
        for (int p = 0; p < kc; p++) {
            int a = ao + p * MR;
            int b = p * NR;
            for (int i = 0; i < MR; i++) {
                float x = ap[a + i];
                int base = i * NR;
                for (int j = 0; j < NR; j++) {
                    t[base + j] = Math.fma(x, bp[b + j], t[base + j]);
                }
            }
        }
        for (int i = 0; i < mr; i++) {
            int row = co + i * ldc;
            for (int j = 0; j < nr; j++) {
                c[row + j] += t[i * NR + j];
            }
        }
    }
}
