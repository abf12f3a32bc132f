package org.netgeom.numeric.linalg;

import java.util.Arrays;

/**
 * Dense matrix multiplication {@code C (+)= op(A)·op(B)} in float64, row-major, multi-threaded:
 * packed panels and a register-blocked micro-kernel (Goto and van de Geijn, ACM TOMS 34(3),
 * 2008), on the Vector API when {@code jdk.incubator.vector} is resolved and in plain Java
 * otherwise. Measured against EJML by {@code netgeom bench train --gemm} (docs/benchmarks.md).
 *
 * <p>Every element of C is the sum over k in blocks of {@link #KC}, each block summed in order
 * by one thread; threads split C into whole tiles only. So results are bit-identical whatever
 * the number of threads.
 */
public final class Gemm {
    /** The k-block (a packed B panel of KC·NR doubles stays in L1). */
    public static final int KC = 128;
    /**
     * The most rows of A packed at once (per thread): a taller block is done in row blocks of
     * MC, each packed and multiplied in turn, so that the packing buffer stays bounded (MC·KC
     * doubles, MC·1024 floats) however many rows A has: a 10^6-row full batch once needed a
     * 1 GB buffer. Every element of C is computed exactly as before (the same k-blocks in the
     * same order), only B is packed once per row block.
     */
    static final int MC = 2048;
    private static final long MIN_PARALLEL_FLOPS = 1L << 18;
    private static final Gemm DEFAULT = new Gemm(pick(System.getProperty("netgeom.kernel", "auto")), null);
    private static final Gemm DEFAULT32 = new Gemm(null, pick32(System.getProperty("netgeom.kernel", "auto")));

    private final Kernel kernel;
    private final FloatKernel kernel32;
    private final ThreadLocal<double[][]> buffers = ThreadLocal.withInitial(() -> new double[3][]);
    private final ThreadLocal<float[][]> buffers32 = ThreadLocal.withInitial(() -> new float[3][]);

    private Gemm(Kernel kernel, FloatKernel kernel32) {
        this.kernel = kernel;
        this.kernel32 = kernel32;
    }

    /** The engine's multiplier (the vector kernel when available; {@code -Dnetgeom.kernel=scalar} forces plain Java). */
    public static Gemm get() {
        return DEFAULT;
    }

    /**
     * The float32 multiplier: A and B are read as binary32 (their values must be floats already,
     * or are rounded to the nearest float when packed), products and the sums within a k-block of
     * {@link #KC} run in binary32 fused multiply-adds, and the blocks' sums are added in binary64
     * to C. For the engine's {@code --dtype float32}; about twice the float64 rate.
     */
    public static Gemm get32() {
        return DEFAULT32;
    }

    /** The plain-Java multiplier (for tests and benchmarks). */
    public static Gemm scalar() {
        return new Gemm(new ScalarKernel(), null);
    }

    /** The plain-Java float32 multiplier (for tests). */
    public static Gemm scalar32() {
        return new Gemm(null, new ScalarKernel32());
    }

    /** True for the float32 multipliers. */
    public boolean isFloat32() {
        return kernel32 != null;
    }

    /** True when the Vector API module is resolved in this JVM. */
    public static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static Kernel pick(String want) {
        if (!want.equals("scalar") && vectorAvailable()) {
            try {
                Kernel k = (Kernel) Class.forName("org.netgeom.numeric.linalg.VectorKernel").getDeclaredConstructor().newInstance();
                if (k.nr() >= 16) {          // at least 256-bit vectors; narrower ones are slower than the JIT's loops
                    return k;
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the plain kernel
            }
        }
        return new ScalarKernel();
    }

    private static FloatKernel pick32(String want) {
        if (!want.equals("scalar") && vectorAvailable()) {
            try {
                FloatKernel k = (FloatKernel) Class.forName("org.netgeom.numeric.linalg.VectorKernel32").getDeclaredConstructor().newInstance();
                if (k.nr() >= 32) {          // at least 256-bit vectors
                    return k;
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the plain kernel
            }
        }
        return new ScalarKernel32();
    }

    /** The micro-kernel's name ("vector-512bit-4x32", "vector-f32-512bit-4x64", "scalar"). */
    public String kernelName() {
        return kernel != null ? kernel.name() : kernel32.name();
    }

    /**
     * {@code C[m×n] = op(A)·op(B)} (or {@code +=} when {@code accumulate}). A is {@code m×k}
     * row-major at {@code a[ao..]}, or {@code k×m} when {@code ta}; B is {@code k×n}, or
     * {@code n×k} when {@code tb}; C is {@code m×n} at {@code c[co..]}.
     */
    public void mul(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, double[] b, int bo,
                    double[] c, int co, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, co, co + m * n, 0.0);
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        int mr = kernel != null ? kernel.mr() : kernel32.mr();
        int nr = kernel != null ? kernel.nr() : kernel32.nr();
        long flops = 2L * m * n * k;
        int colPanels = (n + nr - 1) / nr;
        int rowPanels = (m + mr - 1) / mr;
        if (colPanels >= rowPanels || colPanels >= 4 * Parallel.threads()) {
            Parallel.range(n, nr, flops, MIN_PARALLEL_FLOPS, (j0, j1) -> block(ta, tb, m, n, k, a, ao, b, bo, c, co, 0, m, j0, j1));
        } else {
            Parallel.range(m, mr, flops, MIN_PARALLEL_FLOPS, (i0, i1) -> block(ta, tb, m, n, k, a, ao, b, bo, c, co, i0, i1, 0, n));
        }
    }

    /** Convenience: {@code C = A·B} for row-major A [m×k], B [k×n]. */
    public void mul(int m, int n, int k, double[] a, double[] b, double[] c) {
        mul(false, false, m, n, k, a, 0, b, 0, c, 0, false);
    }

    private void block(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, double[] b, int bo,
                       double[] c, int co, int i0, int i1, int j0, int j1) {
        if (i0 >= i1 || j0 >= j1) {
            return;
        }
        if (i1 - i0 > MC) {
            for (int s = i0; s < i1; s += MC) {
                block(ta, tb, m, n, k, a, ao, b, bo, c, co, s, Math.min(i1, s + MC), j0, j1);
            }
            return;
        }
        if (kernel32 != null) {
            Gemm32.block(kernel32, buffers32.get(), ta, tb, m, n, k, a, ao, b, bo, c, co, i0, i1, j0, j1);
            return;
        }
        int mr = kernel.mr();
        int nr = kernel.nr();
        int rows = i1 - i0;
        int rowsPadded = (rows + mr - 1) / mr * mr;
        double[][] buf = buffers.get();
        double[] ap = grow(buf, 0, rowsPadded * KC);
        double[] bp = grow(buf, 1, KC * nr);
        double[] tmp = grow(buf, 2, mr * nr);
        // A(i,p) = a[ao + i*rsA + p*csA]; B(p,j) = b[bo + p*rsB + j*csB]
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

    private static double[] grow(double[][] buf, int i, int size) {
        if (buf[i] == null || buf[i].length < size) {
            buf[i] = new double[size];
        }
        return buf[i];
    }

    /** Packs rows [i0, i1) × k-block [pc, pc+kc) of A into MR-row panels: panel r, step p, row i at r·MR·kc + p·MR + i. */
    private static void packA(double[] a, int ao, int rs, int cs, int i0, int i1, int pc, int kc, int mr, double[] ap) {
        for (int ic = i0; ic < i1; ic += mr) {
            int h = Math.min(mr, i1 - ic);
            int base = (ic - i0) * kc;
            if (cs == 1 && h == 4 && mr == 4) {
                int s0 = ao + ic * rs + pc;
                int s1 = s0 + rs;
                int s2 = s1 + rs;
                int s3 = s2 + rs;
                for (int p = 0, d = base; p < kc; p++, d += 4) {
                    ap[d] = a[s0 + p];
                    ap[d + 1] = a[s1 + p];
                    ap[d + 2] = a[s2 + p];
                    ap[d + 3] = a[s3 + p];
                }
            } else if (cs == 1) {
                for (int i = 0; i < h; i++) {
                    int src = ao + (ic + i) * rs + pc;
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * mr + i] = a[src + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = ao + ic * rs + (pc + p) * cs;
                    int dst = base + p * mr;
                    for (int i = 0; i < h; i++) {
                        ap[dst + i] = a[src + i * rs];
                    }
                }
            }
            if (h < mr) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(ap, base + p * mr + h, base + (p + 1) * mr, 0.0);
                }
            }
        }
    }

    /** Packs k-block [pc, pc+kc) × columns [jc, jc+w) of B: step p, column j at p·NR + j (zero-padded to NR). */
    private static void packB(double[] b, int bo, int rs, int cs, int pc, int kc, int jc, int w, int nr, double[] bp) {
        if (cs == 1) {
            for (int p = 0; p < kc; p++) {
                int src = bo + (pc + p) * rs + jc;
                int dst = p * nr;
                System.arraycopy(b, src, bp, dst, w);
                if (w < nr) {
                    Arrays.fill(bp, dst + w, dst + nr, 0.0);
                }
            }
        } else {
            for (int j = 0; j < w; j++) {
                int src = bo + pc * rs + (jc + j) * cs;
                for (int p = 0; p < kc; p++) {
                    bp[p * nr + j] = b[src + p];
                }
            }
            if (w < nr) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(bp, p * nr + w, (p + 1) * nr, 0.0);
                }
            }
        }
    }
}
