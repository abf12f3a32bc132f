package org.netgeom.ir.interp;

import org.netgeom.ir.Layer;

/**
 * The number domain an {@link Interpreter} runs the IR in: what each op needs of the values, and
 * nothing about the IR's structure (composites, shapes, JSON paths, conv taps and pool windows are
 * the interpreter's). {@code V} is the value of one layer's output, all of its units (an array of
 * rationals, of doubles, of intervals, of affine forms; a buffer index of a compiled program).
 *
 * <p>Contract: a method never changes its argument values (the interpreter passes one value to
 * both branches of a residual or concat); units are in the row-major order of the IR's shapes; a
 * domain that cannot compute an op refuses it with a coded {@link org.netgeom.ir.NetgeomException}
 * and the interpreter adds the layer's path. The kink conventions are the IR's, stated once:
 * {@link Layer.AbRelu#slopeAtZero()}, {@link Layer.HardTanh#passes} (docs/ir.md, "Kinks").
 */
public interface Domain<V> {
    /** The number of units of a value. */
    int size(V x);

    /** An affine op (dense, conv2d, avgpool2d) lowered to rows. */
    V linear(Linear a, V x);

    /** The relu family, unit by unit: {@code pos·z} for z &gt; 0, {@code neg·z} otherwise. */
    V twoSlope(Layer.AbRelu l, V x);

    /** hardtanh, unit by unit: {@code min(max(z, min_val), max_val)}. */
    V clamp(Layer.HardTanh l, V x);

    /** {@code z²}, unit by unit. */
    V square(Layer.Square l, V x);

    /** A smooth activation, unit by unit ({@link Pointwise} has its value and derivatives). */
    V smooth(Layer.Smooth l, V x);

    /**
     * Inference batch normalisation: unit i belongs to channel {@code i / perChannel}; the
     * channel's statistics and affine parameters are the layer's.
     */
    V normalise(Layer.BatchNorm l, int perChannel, V x);

    /**
     * A max over index windows: output o is the largest of the inputs {@code windows[o]}, the first
     * maximum winning ties. {@code l} is a {@link Layer.MaxPool2d} (its windows, row-major) or a
     * {@link Layer.Maxout} (its groups of k consecutive entries).
     */
    V windowMax(Layer l, int[][] windows, V x);

    /** {@code a + b}, unit by unit (a residual's body plus its shortcut). */
    V add(V a, V b);

    /** The units of {@code a} then those of {@code b} (concat along the first dimension). */
    V concat(V a, V b);

    /**
     * Called before each layer is evaluated, with its JSON path ({@code layers[2].layers[0]}); for
     * domains that record where units come from. The default does nothing.
     */
    default void enter(Layer l, String path) {
    }

    /**
     * Called after {@link #enter} with the layer's input; returns the value the layer gets (the
     * default: {@code x} itself). For domains that rewrite a value before a layer uses it (the
     * notebook's equations name a composite's input before its branches share it).
     */
    default V arrive(Layer l, String path, V x) {
        return x;
    }

    /**
     * Called after each layer with its output; returns the value the walk goes on with (the
     * default: {@code y} itself). For domains that rewrite a value between layers (the formula
     * engine simplifies after each top-level layer). An error thrown here is passed on as it is,
     * without the layer's path.
     */
    default V leave(Layer l, String path, V y) {
        return y;
    }
}
