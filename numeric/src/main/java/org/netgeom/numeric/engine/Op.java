package org.netgeom.numeric.engine;

/**
 * One compiled op of a {@link Net}: a batched forward pass that keeps what its backward pass
 * needs, and a backward pass that returns the input gradient and accumulates parameter
 * gradients. Both carry tangents when the pass has a direction (forward-over-reverse
 * Hessian-vector products: Pearlmutter, "Fast exact multiplication by the Hessian", Neural
 * Computation 6(1), 1994). Ops never modify the arrays they are given or have returned.
 *
 * <p>Kinks follow PyTorch: relu'(0) = 0, leaky_relu'(0) = slope, abs'(0) = 0, abrelu'(0) = neg,
 * and max pooling routes the gradient to the first maximum of a window.
 */
abstract class Op {
    /** The IR path of the layer, for errors. */
    final String path;
    /** Values per example in and out. */
    final int inSize;
    final int outSize;

    Op(String path, int inSize, int outSize) {
        this.path = path;
        this.inSize = inSize;
        this.outSize = outSize;
    }

    /** y = f(x) on {@code p.n} rows (and R{y} when the pass has a direction). */
    abstract Dual forward(Pass p, Dual x);

    /**
     * Given dL/dy (and its R-derivative), accumulates parameter gradients and returns dL/dx, or
     * null when {@code needInput} is false and the op can skip it.
     */
    abstract Dual backward(Pass p, Dual gy, boolean needInput);

    /** Releases what the forward pass kept. */
    void clear() {
    }

    static double[] add(double[] a, double[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] + b[i];
        }
        return c;
    }
}
