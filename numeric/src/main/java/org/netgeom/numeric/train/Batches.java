package org.netgeom.numeric.train;

import org.netgeom.numeric.Rng;

/**
 * The mini-batch schedule of a run, a pure function of (N, batch size, shuffle, seed, step) so
 * that a resumed run draws exactly the batches an uninterrupted one would. An epoch is one pass
 * over the N examples in ⌈N/B⌉ batches (the last one smaller when B does not divide N, as
 * PyTorch's DataLoader with drop_last=False), in the order of {@link Rng#permutation}(N, seed,
 * epoch) when shuffling and in file order otherwise. Full batch is B = N.
 */
public final class Batches {
    private final int n;
    private final int size;
    private final boolean shuffle;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] order;

    public Batches(int n, int size, boolean shuffle, long seed) {
        this.n = n;
        this.size = size <= 0 || size > n ? n : size;
        this.shuffle = shuffle && this.size < n;
        this.seed = seed;
    }

    /** Batches per epoch. */
    public int perEpoch() {
        return (n + size - 1) / size;
    }

    public int batchSize() {
        return size;
    }

    /** The epoch (0-based) of a step (0-based). */
    public long epoch(long step) {
        return step / perEpoch();
    }

    /** The example indices of a step's batch. */
    public int[] rows(long step) {
        long e = epoch(step);
        int b = (int) (step % perEpoch());
        if (e != cachedEpoch) {
            order = shuffle ? Rng.permutation(n, seed, e) : null;
            cachedEpoch = e;
        }
        int from = b * size;
        int to = Math.min(n, from + size);
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = order == null ? from + i : order[from + i];
        }
        return rows;
    }
}
