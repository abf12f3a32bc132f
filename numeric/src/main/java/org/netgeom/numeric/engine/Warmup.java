package org.netgeom.numeric.engine;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.numeric.Rng;
import org.netgeom.numeric.linalg.Gemm;
import org.netgeom.numeric.loss.Loss;

import java.util.ArrayList;
import java.util.List;

/**
 * Compiler warm-up in the background: while a command reads its model and data (single-threaded
 * work, so the second core is idle), a daemon thread trains a small MLP (64-128-128-10 relu, 8
 * rows, one thread) so that the JIT compiles the Vector-API kernels (which run hundreds of times
 * slower interpreted) before the first real step. It stops at {@link #stop()} (the training loop
 * calls it) or after two seconds; it touches nothing shared (its own net, thread-local kernel
 * buffers, no pool threads). Off with {@code -Dnetgeom.warmup=false}.
 */
public final class Warmup {
    private static volatile boolean stopped;
    private static Thread thread;

    private Warmup() {
    }

    /** Starts the warm-up for the given number format (once per JVM; nothing without the Vector API). */
    public static synchronized void start(Precision p) {
        if (thread != null || !Gemm.vectorAvailable() || !Boolean.parseBoolean(System.getProperty("netgeom.warmup", "true"))) {
            return;
        }
        thread = new Thread(() -> run(p), "netgeom-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Stops the warm-up (returns at once; the thread ends within one small step). */
    public static void stop() {
        stopped = true;
    }

    private static void run(Precision p) {
        try {
            int[] w = {64, 128, 128, 10};
            Rng r = Rng.stream(1, 1);
            List<Layer> ls = new ArrayList<>();
            for (int i = 0; i + 1 < w.length; i++) {
                double[] wt = new double[w[i + 1] * w[i]];
                for (int j = 0; j < wt.length; j++) {
                    wt[j] = r.gaussian() / Math.sqrt(w[i]);
                }
                ls.add(new Layer.Dense(null, Tensor.ofDoubles(Shape.of(w[i + 1], w[i]), wt), Tensor.ofDoubles(Shape.of(w[i + 1]),
                        new double[w[i + 1]])));
                if (i + 2 < w.length) {
                    ls.add(Layer.AbRelu.relu(null));
                }
            }
            Net net = Net.of(new Model("warmup", Shape.of(w[0]), ls), p);
            int n = 8;
            double[] x = new double[n * w[0]];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.gaussian();
            }
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = i % w[w.length - 1];
            }
            double[] g = new double[net.paramCount()];
            long end = System.nanoTime() + 2_000_000_000L;
            while (!stopped && System.nanoTime() < end) {
                java.util.Arrays.fill(g, 0);
                net.lossGradient(x, y, n, Loss.CROSS_ENTROPY, 1.0 / n, true, g);
            }
        } catch (RuntimeException | LinkageError e) {
            // a warm-up never fails a command
        }
    }
}
