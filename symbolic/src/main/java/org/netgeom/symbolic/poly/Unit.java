package org.netgeom.symbolic.poly;

/**
 * One piecewise-linear decision of a {@link SplitProgram}, with its pre-activations as exact
 * affine forms in the variables u (valid on the current cell, given the decisions so far).
 */
public sealed interface Unit permits Unit.Sign, Unit.Argmax {

    /** The number of options. */
    int options();

    /**
     * A sign unit (relu, leaky_relu, abs, abrelu): option 1 where z(u) &gt; 0, option 0 where
     * z(u) &lt; 0 or where z is identically zero (then without a constraint).
     */
    record Sign(Form z) implements Unit {
        public int options() {
            return 2;
        }
    }

    /**
     * An argmax unit (a max-pooling window): option j where z_j(u) &gt; z_i(u) for every i ≠ j.
     * Candidates whose forms are identical tie everywhere; the lowest index among them wins
     * (PyTorch's max returns the first maximal index), so a higher one has no cell.
     */
    record Argmax(Form[] z) implements Unit {
        public int options() {
            return z.length;
        }
    }
}
