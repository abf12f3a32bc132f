package org.netgeom.numeric.engine;

import org.netgeom.numeric.linalg.Gemm;

/**
 * One forward/backward pass over a batch of {@code n} rows: the parameters it reads, where the
 * gradients go, and the mode. Gradients are summed over rows into {@link #grad} or, for
 * per-example Jacobians, written row by row into {@link #perRow} ({@code [n][P]}). With a
 * direction {@link #dir} the pass also carries tangents (R-operator, Pearlmutter 1994) and sums
 * the Hessian-vector product's parameter part into {@link #hv}.
 */
final class Pass {
    final double[] params;
    final double[] buffers;
    final int n;
    final boolean train;
    final Precision precision;
    /** The products' multiplier: float64, or float32 products for {@link Precision#F32}. */
    final Gemm gemm;
    double[] grad;
    double[] perRow;
    int paramCount;
    double[] dir;
    double[] hv;

    Pass(double[] params, double[] buffers, int n, boolean train, Precision precision) {
        this.params = params;
        this.buffers = buffers;
        this.n = n;
        this.train = train;
        this.precision = precision;
        this.gemm = precision == Precision.F32 ? Gemm.get32() : Gemm.get();
    }

    boolean tangents() {
        return dir != null;
    }

    /** Rounds an array to the pass's precision (float32 storage) and returns it. */
    double[] round(double[] a) {
        if (a != null && precision == Precision.F32) {
            Precision.toFloat(a);
        }
        return a;
    }

    Dual round(Dual d) {
        round(d.v());
        round(d.t());
        return d;
    }
}
