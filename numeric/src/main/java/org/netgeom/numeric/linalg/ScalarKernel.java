package org.netgeom.numeric.linalg;

import java.util.Arrays;

/**
 * The plain-Java micro-kernel (4×32 tile accumulated in a scratch array whose inner loop the JIT
 * auto-vectorises); used when the Vector API module is not resolved.
 */
final class ScalarKernel implements Kernel {
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
        return "scalar";
    }

    @Override
    public void run(double[] ap, int ao, double[] bp, int kc, double[] c, int co, int ldc, int mr, int nr, double[] t) {
        Arrays.fill(t, 0, MR * NR, 0.0);
        for (int p = 0, a = ao, b = 0; p < kc; p++, a += MR, b += NR) {
            for (int i = 0; i < MR; i++) {
                double x = ap[a + i];
                int base = i * NR;
                for (int j = 0; j < NR; j++) {
                    t[base + j] += x * bp[b + j];
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
