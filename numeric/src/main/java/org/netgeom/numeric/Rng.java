package org.netgeom.numeric;

/**
 * The engines' one random generator, SplitMix64 (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014), chosen because it is a few lines in any
 * language: the PyTorch bridge implements the same stream in Python, so both engines draw the
 * same mini-batch order and the same start vectors. Definitions (all arithmetic mod 2^64):
 * <pre>
 *   state ← state + 0x9E3779B97F4A7C15
 *   z ← state; z ← (z ⊕ (z ≫ 30))·0xBF58476D1CE4E5B9; z ← (z ⊕ (z ≫ 27))·0x94D049BB133111EB
 *   next() = z ⊕ (z ≫ 31)
 *   uniform() = (next() ≫ 11)·2^−53                      in [0, 1)
 *   below(b)  = next() mod b (unsigned)
 *   gaussian() = √(−2 ln(1 − u₁))·cos(2π u₂)          (Box–Muller, one value per two uniforms)
 *   rademacher() = ±1 by the top bit of next()
 * </pre>
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /**
     * The generator for one purpose of a run: seed mixed with a stream number, so that batches of
     * epoch e, initialisation and start vectors never share draws.
     */
    public static Rng stream(long seed, long stream) {
        Rng r = new Rng(seed ^ (GOLDEN * (stream + 1)));
        r.next();
        return r;
    }

    public long next() {
        long z = (state += GOLDEN);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public double uniform() {
        return (next() >>> 11) * 0x1.0p-53;
    }

    public int below(int bound) {
        return (int) Long.remainderUnsigned(next(), bound);
    }

    public double gaussian() {
        double u1 = uniform();
        double u2 = uniform();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    public double rademacher() {
        return next() < 0 ? -1 : 1;
    }

    /**
     * The permutation of 0..n−1 for epoch {@code epoch} of a run seeded {@code seed}:
     * Fisher–Yates, for i = n−1 down to 1 swap i with below(i + 1), on {@code stream(seed, 1000 + epoch)}.
     */
    public static int[] permutation(int n, long seed, long epoch) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Rng r = stream(seed, 1000 + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.below(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
