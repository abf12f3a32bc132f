package org.netgeom.numeric.curvature;

/** A symmetric linear map on ℝⁿ known through its products (a Hessian through Hessian-vector products). */
public interface LinearOperator {
    /** n. */
    int dim();

    /** {@code out = A·v}. */
    void apply(double[] v, double[] out);

    /** How many times {@link #apply} has run. */
    long applications();
}
