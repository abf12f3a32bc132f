package org.netgeom.numeric.linalg;

/**
 * A GEMM micro-kernel: {@code C[mr×nr] += Ap·Bp} for packed panels, Ap holding {@code MR} rows
 * per k step ({@code Ap[ao + p·MR + i]}) and Bp holding {@code NR} columns per k step
 * ({@code Bp[p·NR + j]}), zero-padded to full panels. The sum over p runs in increasing order
 * for every element, whatever the tile's position, so results do not depend on partitioning.
 */
interface Kernel {
    /** Rows per tile. */
    int mr();

    /** Columns per tile. */
    int nr();

    /** A short name for benchmarks ("vector-512x4", "scalar"). */
    String name();

    /**
     * Accumulates one tile into {@code c[co + i·ldc + j]} for i &lt; mr, j &lt; nr; {@code tmp} is a
     * scratch array of at least MR·NR doubles.
     */
    void run(double[] ap, int ao, double[] bp, int kc, double[] c, int co, int ldc, int mr, int nr, double[] tmp);
}
