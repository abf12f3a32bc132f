package org.netgeom.ir;

/**
 * A data set: inputs {@code x} as an {@code [N][d]} tensor (images flattened row-major, as the
 * model's input shape) and targets {@code y} as {@code [N][k]}, or null when the file has no y
 * columns. Values are exact (double-backed where every value is exactly a double, which changes
 * nothing about their meaning).
 */
public record DataSet(Tensor x, Tensor y) {

    public DataSet {
        if (x.shape().rank() != 2) {
            throw new IllegalArgumentException("x must be [N][d], not " + x.shape());
        }
        if (y != null && (y.shape().rank() != 2 || y.shape().dim(0) != x.shape().dim(0))) {
            throw new IllegalArgumentException("y must be [N][k] with N = " + x.shape().dim(0) + ", not " + y.shape());
        }
    }

    /** The number of examples N. */
    public int size() {
        return x.shape().dim(0);
    }

    /** The input width d. */
    public int inputWidth() {
        return x.shape().dim(1);
    }

    /** The target width k (0 without targets). */
    public int targetWidth() {
        return y == null ? 0 : y.shape().dim(1);
    }

    /** Input i, exactly. */
    public Rational[] x(int i) {
        return row(x, i);
    }

    /** Target i, exactly. */
    public Rational[] y(int i) {
        if (y == null) {
            throw IrError.IR_DATA.error("the data set has no y columns");
        }
        return row(y, i);
    }

    private static Rational[] row(Tensor t, int i) {
        int w = t.shape().dim(1);
        Rational[] out = new Rational[w];
        for (int j = 0; j < w; j++) {
            out[j] = t.rational(i * w + j);
        }
        return out;
    }

    /** Throws {@link IrError#IR_DATA} unless each x row fits the model's input. */
    public void requireInputsFit(Model m) {
        int want = m.input().size();
        if (inputWidth() != want) {
            throw IrError.IR_DATA.at("x", "the data has " + inputWidth() + " x columns but the model's input " + m.input()
                    + " takes " + want + " values per example");
        }
    }

    /** Throws {@link IrError#IR_DATA} unless there are targets of width k. */
    public void requireTargets(int k) {
        if (targetWidth() != k) {
            throw IrError.IR_DATA.at("y", "the data has " + targetWidth() + " y columns, expected " + k
                    + (y == null ? " (name them y1, y2, ...)" : ""));
        }
    }
}
