package org.netgeom.notebooks.display;

import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Tensor;
import org.netgeom.notebooks.NotebookError;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * LaTeX for exact values: rationals as fractions ({@code -\frac{1}{2}}), vectors, matrices, and a
 * small network written out as equations ({@link #equations(Model)}). Nothing here rounds: a
 * rational is written with its exact numerator and denominator.
 */
public final class Latex {
    /** Matrices larger than this (rows or columns) are not written out. */
    static final int MAX_MATRIX = 16;

    private Latex() {
    }

    /** An exact rational: {@code 3}, {@code -\frac{1}{2}}. */
    public static String rational(Rational q) {
        if (q.isInteger()) {
            return q.toString();
        }
        return (q.signum() < 0 ? "-" : "") + "\\frac{" + q.numerator().abs() + "}{" + q.denominator() + "}";
    }

    /** A scalar of the IR: a rational as {@link #rational}, a free symbol in italics. */
    public static String scalar(Scalar s) {
        if (s instanceof Rational q) {
            return rational(q);
        }
        return "\\mathit{" + s.toString().replace("_", "\\_") + "}";
    }

    /** A tuple of rationals: {@code \left(\frac{1}{2},\ 3\right)}. */
    public static String vector(Rational... v) {
        return Arrays.stream(v).map(Latex::rational).collect(Collectors.joining(",\\ ", "\\left(", "\\right)"));
    }

    /** A tensor of rank 0, 1 (a column) or 2 as a {@code pmatrix}; larger ones are refused. */
    public static String matrix(Tensor t) {
        int[] d = t.shape().dims();
        if (d.length == 0) {
            return scalar(t.get(0));
        }
        if (d.length > 2) {
            throw NotebookError.NOT_SUPPORTED.error("a tensor of rank " + d.length + " (shape " + t.shape() + ") has no matrix form");
        }
        int rows = d[0];
        int cols = d.length == 2 ? d[1] : 1;
        if (rows > MAX_MATRIX || cols > MAX_MATRIX) {
            throw NotebookError.TOO_LARGE.error("a " + rows + "×" + cols + " matrix is too large to write out (at most "
                    + MAX_MATRIX + "×" + MAX_MATRIX + ")");
        }
        StringBuilder sb = new StringBuilder("\\begin{pmatrix}");
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "" : " \\\\ ");
            for (int j = 0; j < cols; j++) {
                sb.append(j == 0 ? "" : " & ").append(scalar(t.get(i * cols + j)));
            }
        }
        return sb.append("\\end{pmatrix}").toString();
    }

    /**
     * A small network written out unit by unit as an {@code aligned} block: hidden values
     * {@code h^{(k)}_i} named where a layer reuses them, the output last, e.g. for Telgarsky's tent
     * map {@code f(x) = \operatorname{relu}(2 h^{(1)}_{1} - 4 h^{(1)}_{2})}. Dense layers and the
     * elementwise ops, batchnorm on vectors, residual and concat blocks are written; convolution
     * and pooling are refused ({@link NotebookError#NOT_SUPPORTED}), as are layers wider than 16
     * units ({@link NotebookError#TOO_LARGE}).
     */
    public static String equations(Model m) {
        return Equations.write(m);
    }
}
