package org.netgeom.numeric.linalg;

/**
 * The machine's measured peak of fused multiply-adds: each of T threads runs 12 independent
 * chains of vector FMAs ({@code a = a·m + c} on the Vector API's preferred species, so enough
 * in flight to cover the FMA latency) for a fixed count; the rate counts 2 flops per lane per FMA.
 * This is the ceiling a GEMM kernel can reach on this machine at its current clock (benchmarks
 * report GFLOP/s as a fraction of it). Without the Vector API, the same loop on {@code Math.fma}.
 */
public final class Peak {
    private Peak() {
    }

    /** What was measured: GFLOP/s with {@code threads} threads, the vector lanes, and how. */
    public record Result(double gflops, int threads, int lanes, boolean float32, String method) {
    }

    /** Measures the peak (about 0.3 s per call on this kind of machine). */
    public static Result measure(int threads, boolean float32) {
        PeakLoop loop = loop();
        loop.run(float32, 200_000);              // compile
        loop.run(float32, 200_000);
        long iters = 20_000_000L;
        double best = 0;
        for (int rep = 0; rep < 3; rep++) {
            double[] sink = new double[threads];
            Thread[] ts = new Thread[threads];
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts[t] = new Thread(() -> sink[id] = loop.run(float32, iters), "netgeom-peak");
                ts[t].start();
            }
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 12.0 * loop.lanes(float32) * 2 * iters * threads / s / 1e9);
        }
        return new Result(best, threads, loop.lanes(float32), float32, loop.name() + ", 12 independent FMA chains per thread, "
                + threads + " thread" + (threads == 1 ? "" : "s") + ", best of 3");
    }

    private static PeakLoop loop() {
        if (Gemm.vectorAvailable() && !System.getProperty("netgeom.kernel", "auto").equals("scalar")) {
            try {
                return (PeakLoop) Class.forName("org.netgeom.numeric.linalg.VectorPeak").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through
            }
        }
        return new ScalarPeak();
    }

    /** One thread's loop: returns a value depending on every chain (so none is removed). */
    interface PeakLoop {
        double run(boolean float32, long iters);

        int lanes(boolean float32);

        String name();
    }

    static final class ScalarPeak implements PeakLoop {
        @Override
        public double run(boolean float32, long iters) {
            double a0 = 1, a1 = 1.1, a2 = 1.2, a3 = 1.3, a4 = 1.4, a5 = 1.5, a6 = 1.6, a7 = 1.7, a8 = 1.8, a9 = 1.9, a10 = 2, a11 = 2.1;
            double m = 0.999999;
            double c = 1e-7;
            for (long i = 0; i < iters; i++) {
                a0 = Math.fma(a0, m, c);
                a1 = Math.fma(a1, m, c);
                a2 = Math.fma(a2, m, c);
                a3 = Math.fma(a3, m, c);
                a4 = Math.fma(a4, m, c);
                a5 = Math.fma(a5, m, c);
                a6 = Math.fma(a6, m, c);
                a7 = Math.fma(a7, m, c);
                a8 = Math.fma(a8, m, c);
                a9 = Math.fma(a9, m, c);
                a10 = Math.fma(a10, m, c);
                a11 = Math.fma(a11, m, c);
            }
            return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
        }

        @Override
        public int lanes(boolean float32) {
            return 1;
        }

        @Override
        public String name() {
            return "scalar Math.fma";
        }
    }
}
