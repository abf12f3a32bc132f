package org.netgeom.numeric.engine;

/**
 * A batch of values with their tangents: {@code v} is {@code [n][size]} row-major and {@code t}
 * is the directional derivative R{v} along the parameter direction of a Hessian-vector product
 * (Pearlmutter 1994), or null when it is zero. In the backward pass {@code v} holds gradients
 * and {@code t} their R-derivatives.
 */
public record Dual(double[] v, double[] t) {
    /** A value with no tangent. */
    public static Dual of(double[] v) {
        return new Dual(v, null);
    }
}
