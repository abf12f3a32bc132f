package org.netgeom.numeric.linalg;

/**
 * A float32 GEMM micro-kernel: {@code C[mr×nr] += Ap·Bp} for panels packed as binary32 (layout
 * as in {@link Kernel}), the products and the sum over one k-block in binary32 (fused
 * multiply-adds), the block's sum then added to the binary64 C. The sum over p runs in
 * increasing order for every element, whatever the tile's position.
 */
interface FloatKernel {
    int mr();

    int nr();

    String name();

    /** As {@link Kernel#run}, on float panels; {@code tmp} holds at least MR·NR floats. */
    void run(float[] ap, int ao, float[] bp, int kc, double[] c, int co, int ldc, int mr, int nr, float[] tmp);
}
