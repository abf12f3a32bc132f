package org.netgeom.symbolic.poly;

/**
 * A sequence of piecewise-linear units whose pre-activations are exact affine forms in the
 * variables u ∈ Q^k once the earlier units are decided: what {@link CellEnumerator} splits a
 * domain by. It is walked depth-first: {@link #next()} gives the unit at the current node,
 * {@link #decide(int)} descends into one of its options, {@link #undo()} returns to the node
 * (after which {@link #decide(int)} may be called with another option; {@link #next()} is not
 * called again there). At a leaf {@link #next()} returns null and {@link #leaf()} gives what the
 * caller keeps of it (for a network: the exact output maps on the cell).
 *
 * <p>{@code org.netgeom.symbolic.regions.NetworkProgram} implements it for networks (input space,
 * slices, and several "tracks" sharing u, as in parameter space). Implementations in float64
 * mode return forms from {@link Form#ofDoubles}.
 *
 * @param <L> the per-cell data kept at leaves
 */
public interface SplitProgram<L> {
    /** k, the number of variables. */
    int variables();

    /** The next undecided unit on the current path, or null at a leaf. */
    Unit next();

    /** Takes option {@code choice} of the unit last returned by {@link #next()}. */
    void decide(int choice);

    /** Undoes the last {@link #decide(int)}. */
    void undo();

    /** The data kept for the cell at the current leaf (called only where {@link #next()} is null). */
    L leaf();
}
