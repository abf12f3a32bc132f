package org.netgeom.numeric.linalg;

import java.util.Arrays;

/**
 * The float32 path of {@link Gemm}: the same blocking and partition (so results are
 * bit-identical whatever the number of threads), the panels packed as binary32 (packing is where
 * the binary64 arrays are read and narrowed) for a {@link FloatKernel}, with a longer k-block.
 */
final class Gemm32 {
    /**
     * The k-block: long, so that a tile's float sum is widened and added to C rarely (a B panel
     * of KC·NR floats, 256 KiB, stays in L2; the sum over k runs in float over whole blocks).
     */
    static final int KC = 1024;

    private Gemm32() {
    }

    static void block(FloatKernel kernel, float[][] buf, boolean ta, boolean tb, int m, int n, int k, double[] a, int ao,
                      double[] b, int bo, double[] c, int co, int i0, int i1, int j0, int j1) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int rows = i1 - i0;
        int rowsPadded = (rows + mr - 1) / mr * mr;
        float[] ap = grow(buf, 0, rowsPadded * KC);
        float[] bp = grow(buf, 1, KC * nr);
        float[] tmp = grow(buf, 2, mr * nr);
        int rsA = ta ? 1 : k;
        int csA = ta ? m : 1;
        int rsB = tb ? 1 : n;
        int csB = tb ? k : 1;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            packA(a, ao, rsA, csA, i0, i1, pc, kc, mr, ap);
            for (int jc = j0; jc < j1; jc += nr) {
                int w = Math.min(nr, j1 - jc);
                packB(b, bo, rsB, csB, pc, kc, jc, w, nr, bp);
                for (int ic = i0; ic < i1; ic += mr) {
                    int h = Math.min(mr, i1 - ic);
                    kernel.run(ap, (ic - i0) * kc, bp, kc, c, co + ic * n + jc, n, h, w, tmp);
                }
            }
        }
    }

    private static float[] grow(float[][] buf, int i, int size) {
        if (buf[i] == null || buf[i].length < size) {
            buf[i] = new float[size];
        }
        return buf[i];
    }

    /** As Gemm.packA, narrowing to float: panel r, step p, row i at r·MR·kc + p·MR + i. */
    private static void packA(double[] a, int ao, int rs, int cs, int i0, int i1, int pc, int kc, int mr, float[] ap) {
        for (int ic = i0; ic < i1; ic += mr) {
            int h = Math.min(mr, i1 - ic);
            int base = (ic - i0) * kc;
            if (cs == 1 && h == 4 && mr == 4) {
                int s0 = ao + ic * rs + pc;
                int s1 = s0 + rs;
                int s2 = s1 + rs;
                int s3 = s2 + rs;
                for (int p = 0, d = base; p < kc; p++, d += 4) {
                    ap[d] = (float) a[s0 + p];
                    ap[d + 1] = (float) a[s1 + p];
                    ap[d + 2] = (float) a[s2 + p];
                    ap[d + 3] = (float) a[s3 + p];
                }
            } else if (cs == 1) {
                for (int i = 0; i < h; i++) {
                    int src = ao + (ic + i) * rs + pc;
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * mr + i] = (float) a[src + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = ao + ic * rs + (pc + p) * cs;
                    int dst = base + p * mr;
                    for (int i = 0; i < h; i++) {
                        ap[dst + i] = (float) a[src + i * rs];
                    }
                }
            }
            if (h < mr) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(ap, base + p * mr + h, base + (p + 1) * mr, 0f);
                }
            }
        }
    }

    /** As Gemm.packB, narrowing to float: step p, column j at p·NR + j (zero-padded to NR). */
    private static void packB(double[] b, int bo, int rs, int cs, int pc, int kc, int jc, int w, int nr, float[] bp) {
        if (cs == 1) {
            for (int p = 0; p < kc; p++) {
                int src = bo + (pc + p) * rs + jc;
                int dst = p * nr;
                for (int j = 0; j < w; j++) {
                    bp[dst + j] = (float) b[src + j];
                }
                if (w < nr) {
                    Arrays.fill(bp, dst + w, dst + nr, 0f);
                }
            }
        } else {
            for (int j = 0; j < w; j++) {
                int src = bo + pc * rs + (jc + j) * cs;
                for (int p = 0; p < kc; p++) {
                    bp[p * nr + j] = (float) b[src + p];
                }
            }
            if (w < nr) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(bp, p * nr + w, (p + 1) * nr, 0f);
                }
            }
        }
    }
}
