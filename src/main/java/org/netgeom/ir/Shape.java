package org.netgeom.ir;

import java.util.Arrays;
import java.util.List;

/**
 * A tensor shape, PyTorch's convention without the batch dimension: {@code [n]} for vectors,
 * {@code [C, H, W]} for images, {@code [out, in]} for dense weights. Immutable.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
        }
        return new Shape(dims.clone());
    }

    public static Shape of(List<Integer> dims) {
        return of(dims.stream().mapToInt(Integer::intValue).toArray());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** The number of elements (the product of the dimensions; 1 for a scalar shape). */
    public int size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw IrError.IR_SHAPE_MISMATCH.error("shape " + this + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    public List<Integer> toList() {
        return Arrays.stream(dims).boxed().toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(s.dims, dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [2, 3]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
