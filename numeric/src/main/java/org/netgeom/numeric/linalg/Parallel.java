package org.netgeom.numeric.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The engine's worker threads: a fixed pool of daemon threads that runs a statically partitioned
 * loop ({@link #run(int, IntConsumer)}). Partitions are chosen by the callers so that every
 * output element is computed by one thread in a fixed order: results are bit-identical whatever
 * the number of threads (which a killed-and-resumed training run relies on).
 */
public final class Parallel {
    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static ExecutorService pool;
    private static int poolSize;

    private Parallel() {
    }

    /** The number of threads the kernels use (default: the available processors). */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads (at least 1). */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + n);
        }
        threads = n;
    }

    private static synchronized ExecutorService pool(int size) {
        if (pool == null || poolSize < size) {
            if (pool != null) {
                pool.shutdown();
            }
            poolSize = size;
            pool = Executors.newFixedThreadPool(size, r -> {
                Thread t = new Thread(r, "netgeom-kernel");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /**
     * Runs {@code body(0..tasks-1)}, task 0 on the calling thread and the others on the pool, and
     * waits for all. Exceptions are rethrown (the first one).
     */
    public static void run(int tasks, IntConsumer body) {
        if (tasks <= 1) {
            if (tasks == 1) {
                body.accept(0);
            }
            return;
        }
        ExecutorService ex = pool(tasks - 1);
        List<Future<?>> fs = new ArrayList<>(tasks - 1);
        for (int t = 1; t < tasks; t++) {
            int id = t;
            fs.add(ex.submit(() -> body.accept(id)));
        }
        RuntimeException first = null;
        try {
            body.accept(0);
        } catch (RuntimeException e) {
            first = e;
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (first == null) {
                    first = new IllegalStateException("interrupted", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Splits {@code [0, n)} into at most {@link #threads()} contiguous ranges of whole
     * {@code grain}-sized blocks and runs {@code body(from, to)} on each in parallel (serially when
     * {@code work} is below {@code minWork}).
     */
    public static void range(int n, int grain, long work, long minWork, RangeBody body) {
        int blocks = (n + grain - 1) / grain;
        int t = work < minWork ? 1 : Math.min(threads, blocks);
        if (t <= 1) {
            body.run(0, n);
            return;
        }
        run(t, id -> {
            int b0 = (int) ((long) blocks * id / t);
            int b1 = (int) ((long) blocks * (id + 1) / t);
            body.run(Math.min(n, b0 * grain), Math.min(n, b1 * grain));
        });
    }

    /** A loop body over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }
}
