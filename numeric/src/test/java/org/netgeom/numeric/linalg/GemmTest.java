package org.netgeom.numeric.linalg;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dense kernel against a naive triple loop (reference), and bit-reproducibility across thread counts. */
class GemmTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
    }

    /** Naive C = op(A)·op(B), summed in long double-like order-independent fashion is not needed: tolerance covers order. */
    static double[] naive(boolean ta, boolean tb, int m, int n, int k, double[] a, double[] b) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    static double[] rand(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    @ParameterizedTest(name = "{0}x{1}x{2} ta={3} tb={4}")
    @CsvSource({"1,1,1,false,false", "5,7,3,false,false", "33,65,129,false,true", "64,32,300,true,false", "70,3,260,true,true",
            "4,32,128,false,false", "129,257,131,false,true", "3,100,1,true,false", "260,10,512,false,true",
            "4500,5,130,false,false", "4500,3,140,true,true"})
    void matchesNaiveProduct(int m, int n, int k, boolean ta, boolean tb) {
        Random r = new Random(m * 31L + n * 7L + k);
        double[] a = rand(r, m * k);
        double[] b = rand(r, k * n);
        double[] want = naive(ta, tb, m, n, k, a, b);
        for (Gemm g : new Gemm[]{Gemm.get(), Gemm.scalar()}) {
            double[] c = new double[m * n];
            g.mul(ta, tb, m, n, k, a, 0, b, 0, c, 0, false);
            for (int i = 0; i < c.length; i++) {
                assertEquals(want[i], c[i], 1e-12 * Math.sqrt(k) * 4, g.kernelName() + " element " + i);
            }
            double[] acc = c.clone();
            g.mul(ta, tb, m, n, k, a, 0, b, 0, acc, 0, true);
            for (int i = 0; i < c.length; i++) {
                assertEquals(2 * want[i], acc[i], 1e-11 * Math.sqrt(k) * 4, "accumulate");
            }
        }
    }

    /**
     * The float32 multipliers against the naive product in binary64 of the same float inputs: a
     * float sum of k products is within k·2⁻²⁴·Σ|a||b| (Higham, Accuracy and Stability, §3.1).
     */
    @ParameterizedTest(name = "f32 {0}x{1}x{2} ta={3} tb={4}")
    @CsvSource({"1,1,1,false,false", "5,7,3,false,false", "33,65,129,false,true", "64,32,300,true,false", "70,3,260,true,true",
            "4,64,128,false,false", "129,257,1100,false,true", "3,100,1,true,false", "260,10,2100,false,true",
            "4500,5,1030,false,false"})
    void float32MatchesTheProductOfFloats(int m, int n, int k, boolean ta, boolean tb) {
        Random r = new Random(m * 31L + n * 7L + k);
        double[] a = rand(r, m * k);
        double[] b = rand(r, k * n);
        for (double[] v : new double[][]{a, b}) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) v[i];
            }
        }
        double[] want = naive(ta, tb, m, n, k, a, b);
        double[] abs = naive(ta, tb, m, n, k, absOf(a), absOf(b));
        for (Gemm g : new Gemm[]{Gemm.get32(), Gemm.scalar32()}) {
            assertTrue(g.isFloat32(), g.kernelName());
            double[] c = new double[m * n];
            g.mul(ta, tb, m, n, k, a, 0, b, 0, c, 0, false);
            double worst = 0;
            for (int i = 0; i < c.length; i++) {
                double bound = k * 0x1p-24 * abs[i];
                assertEquals(want[i], c[i], bound + 1e-30, g.kernelName() + " element " + i);
                worst = Math.max(worst, Math.abs(want[i] - c[i]) / abs[i]);
            }
            assertTrue(k < 3 || worst > 0, g.kernelName() + ": float sums differ from binary64 ones somewhere (really float32)");
        }
    }

    private static double[] absOf(double[] v) {
        double[] a = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
        }
        return a;
    }

    @Test
    void offsetsLeaveTheRestAlone() {
        Random r = new Random(5);
        double[] a = rand(r, 3 + 6 * 4);
        double[] b = rand(r, 2 + 4 * 5);
        double[] c = new double[7 + 6 * 5 + 3];
        java.util.Arrays.fill(c, 42);
        Gemm.get().mul(false, false, 6, 5, 4, a, 3, b, 2, c, 7, false);
        double[] want = naive(false, false, 6, 5, 4, java.util.Arrays.copyOfRange(a, 3, a.length), java.util.Arrays.copyOfRange(b, 2, b.length));
        for (int i = 0; i < 7; i++) {
            assertEquals(42, c[i]);
        }
        for (int i = 0; i < 30; i++) {
            assertEquals(want[i], c[7 + i], 1e-12);
        }
        for (int i = 37; i < 40; i++) {
            assertEquals(42, c[i]);
        }
    }

    /**
     * A tall A (more rows than {@link Gemm#MC}, done in row blocks with a bounded packing
     * buffer) gives bit for bit what separate products of its row slices give.
     */
    @Test
    void tallProductsEqualTheirRowSlicesBitForBit() {
        Random r = new Random(11);
        int m = 2 * Gemm.MC + 301;
        int n = 9;
        int k = 300;
        double[] a = rand(r, m * k);
        double[] b = rand(r, k * n);
        for (Gemm g : new Gemm[]{Gemm.get(), Gemm.get32()}) {
            for (int t : new int[]{1, 2}) {
                Parallel.setThreads(t);
                double[] whole = new double[m * n];
                g.mul(false, false, m, n, k, a, 0, b, 0, whole, 0, false);
                double[] sliced = new double[m * n];
                for (int i0 = 0; i0 < m; i0 += Gemm.MC) {
                    int h = Math.min(Gemm.MC, m - i0);
                    g.mul(false, false, h, n, k, a, i0 * k, b, 0, sliced, i0 * n, false);
                }
                assertArrayEquals(sliced, whole, g.kernelName() + ", threads " + t);
            }
        }
    }

    @Test
    void bitIdenticalWhateverTheThreadCount() {
        Random r = new Random(9);
        int m = 300;
        int n = 517;
        int k = 700;
        double[] a = rand(r, m * k);
        double[] b = rand(r, k * n);
        double[] ref = null;
        double[] ref32 = null;
        for (int t : new int[]{1, 2, 3, 5}) {
            Parallel.setThreads(t);
            for (boolean ta : new boolean[]{false, true}) {
                double[] c = new double[m * n];
                Gemm.get().mul(ta, !ta, m, n, k, a, 0, b, 0, c, 0, false);
                if (!ta) {
                    if (ref == null) {
                        ref = c;
                    } else {
                        assertArrayEquals(ref, c, "threads " + t);
                    }
                }
                double[] c32 = new double[m * n];
                Gemm.get32().mul(ta, !ta, m, n, k, a, 0, b, 0, c32, 0, false);
                if (!ta) {
                    if (ref32 == null) {
                        ref32 = c32;
                    } else {
                        assertArrayEquals(ref32, c32, "float32, threads " + t);
                    }
                }
            }
        }
    }

    @Test
    void vectorKernelIsUsedInTests() {
        assertTrue(Gemm.vectorAvailable(), "surefire runs with --add-modules jdk.incubator.vector");
        assertTrue(Gemm.get().kernelName().startsWith("vector"), Gemm.get().kernelName());
        assertTrue(Gemm.get32().kernelName().startsWith("vector-f32"), Gemm.get32().kernelName());
    }

    @Test
    void elementwiseImplementationsAgreeBitForBit() {
        Random r = new Random(3);
        double[] x = rand(r, 1001);
        x[5] = 0;
        x[17] = -0.0;
        double[] g = rand(r, 1001);
        for (double[] np : new double[][]{{0, 1, 0}, {0.1, 1, 0.1}, {-1, 1, 0}, {-1.0 / 3, 2, -1.0 / 3}}) {
            double[] y1 = new double[x.length];
            double[] y2 = new double[x.length];
            Elementwise.get().forward(x, y1, np[0], np[1]);
            Elementwise.plain().forward(x, y2, np[0], np[1]);
            assertArrayEquals(y2, y1);
            Elementwise.get().gradient(x, g, y1, np[0], np[1], np[2]);
            Elementwise.plain().gradient(x, g, y2, np[0], np[1], np[2]);
            assertArrayEquals(y2, y1);
            assertEquals(np[2] * g[5], y1[5]);
            for (int i = 0; i < x.length; i++) {
                double want = x[i] > 0 ? np[1] * g[i] : x[i] < 0 ? np[0] * g[i] : np[2] * g[i];
                assertEquals(want, y1[i]);
            }
        }
    }
}
