package org.netgeom.ir;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable tensor of scalars, row-major, in PyTorch's shapes (a dense weight is
 * {@code [out][in]}, a conv2d weight {@code [out][in][kh][kw]}).
 *
 * <p>Two storages, one meaning: scalars (exact rationals or symbols, from JSON), or doubles
 * (from tensor files or training), where each double stands for its exact binary value. Either
 * way {@link #get(int)} returns the exact scalar, so exact engines never see a rounded number;
 * numeric engines call {@link #nearestDoubles()} (exact for the double storage, nearest double
 * of each rational otherwise).
 */
public final class Tensor {
    private final Shape shape;
    private final Scalar[] scalars;     // exactly one of scalars/doubles is non-null
    private final double[] doubles;
    private final TensorSource source;  // may be null

    private Tensor(Shape shape, Scalar[] scalars, double[] doubles, TensorSource source) {
        this.shape = shape;
        this.scalars = scalars;
        this.doubles = doubles;
        this.source = source;
        int n = scalars != null ? scalars.length : doubles.length;
        if (n != shape.size()) {
            throw new IllegalArgumentException(n + " values for shape " + shape);
        }
    }

    /** A tensor of scalars (copied). */
    public static Tensor of(Shape shape, Scalar[] values) {
        Scalar[] v = values.clone();
        for (Scalar s : v) {
            Objects.requireNonNull(s, "null scalar");
        }
        return new Tensor(shape, v, null, null);
    }

    /** A tensor of doubles, each standing for its exact binary value (copied; must be finite). */
    public static Tensor ofDoubles(Shape shape, double[] values) {
        return ofDoubles(shape, values, null);
    }

    /** A tensor of doubles read from a tensor file. */
    public static Tensor ofDoubles(Shape shape, double[] values, TensorSource source) {
        for (double d : values) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("non-finite value " + d + " in a tensor");
            }
        }
        return new Tensor(shape, null, values.clone(), source);
    }

    /** A vector of rationals. */
    public static Tensor vector(Rational... values) {
        return new Tensor(Shape.of(values.length), values.clone(), null, null);
    }

    /** A matrix of rationals, {@code [rows][cols]}. */
    public static Tensor matrix(Rational[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        Scalar[] v = new Scalar[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("ragged matrix");
            }
            System.arraycopy(rows[i], 0, v, i * c, c);
        }
        return new Tensor(Shape.of(r, c), v, null, null);
    }

    /** All zeros. */
    public static Tensor zeros(Shape shape) {
        Scalar[] v = new Scalar[shape.size()];
        Arrays.fill(v, Rational.ZERO);
        return new Tensor(shape, v, null, null);
    }

    /** The same values with a tensor-file origin attached (the writer may keep the reference). */
    public Tensor withSource(TensorSource src) {
        return new Tensor(shape, scalars, doubles, src);
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return scalars != null ? scalars.length : doubles.length;
    }

    /** The origin in a tensor file, or null for inline tensors. */
    public TensorSource source() {
        return source;
    }

    /** True when the values are held as doubles (exact binary values). */
    public boolean isDoubleBacked() {
        return doubles != null;
    }

    /** The i-th value in row-major order, exactly. */
    public Scalar get(int i) {
        return scalars != null ? scalars[i] : Rational.fromDouble(doubles[i]);
    }

    /** The value at a multi-index. */
    public Scalar get(int... idx) {
        return get(offset(idx));
    }

    /** The i-th value as a rational; throws {@link IrError#IR_UNBOUND_SYMBOL} for a symbol. */
    public Rational rational(int i) {
        return get(i).rational();
    }

    /** All values as rationals (throws for symbols). */
    public Rational[] rationals() {
        Rational[] out = new Rational[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rational(i);
        }
        return out;
    }

    /** Row i of a matrix as rationals. */
    public Rational[] row(int i) {
        if (shape.rank() != 2) {
            throw new IllegalStateException("row() of a rank-" + shape.rank() + " tensor");
        }
        int c = shape.dim(1);
        Rational[] out = new Rational[c];
        for (int j = 0; j < c; j++) {
            out[j] = rational(i * c + j);
        }
        return out;
    }

    /**
     * The values as doubles: exact for double storage, the nearest double of each rational
     * otherwise. Throws {@link IrError#IR_UNBOUND_SYMBOL} when a value is a free symbol.
     */
    public double[] nearestDoubles() {
        if (doubles != null) {
            return doubles.clone();
        }
        double[] out = new double[scalars.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = scalars[i].rational().doubleValue();
        }
        return out;
    }

    /** True when some value is a free symbol. */
    public boolean hasSymbols() {
        if (scalars == null) {
            return false;
        }
        for (Scalar s : scalars) {
            if (s instanceof Symbol) {
                return true;
            }
        }
        return false;
    }

    /** The free symbols, in order of first appearance. */
    public Set<String> symbols() {
        Set<String> out = new LinkedHashSet<>();
        if (scalars != null) {
            for (Scalar s : scalars) {
                if (s instanceof Symbol y) {
                    out.add(y.name());
                }
            }
        }
        return out;
    }

    /** A tensor of the same shape with each scalar mapped (the result is scalar-backed). */
    public Tensor map(java.util.function.UnaryOperator<Scalar> f) {
        Scalar[] v = new Scalar[size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Objects.requireNonNull(f.apply(get(i)));
        }
        return new Tensor(shape, v, null, null);
    }

    private int offset(int[] idx) {
        if (idx.length != shape.rank()) {
            throw new IllegalArgumentException("index of rank " + idx.length + " into shape " + shape);
        }
        int off = 0;
        for (int k = 0; k < idx.length; k++) {
            if (idx[k] < 0 || idx[k] >= shape.dim(k)) {
                throw new IndexOutOfBoundsException(Arrays.toString(idx) + " in " + shape);
            }
            off = off * shape.dim(k) + idx[k];
        }
        return off;
    }

    /** Value equality: same shape and the same exact values, whatever the storage or origin. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Tensor t) || !t.shape.equals(shape)) {
            return false;
        }
        if (doubles != null && t.doubles != null) {
            for (int i = 0; i < doubles.length; i++) {
                if (doubles[i] != t.doubles[i]) {      // 0.0 == -0.0, as rationals
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < size(); i++) {
            if (!get(i).equals(t.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = shape.hashCode();
        int n = Math.min(size(), 16);
        for (int i = 0; i < n; i++) {
            h = 31 * h + get(i).hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append('[');
        int n = Math.min(size(), 8);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(get(i));
        }
        return sb.append(size() > n ? ", ...]" : "]").toString();
    }
}
