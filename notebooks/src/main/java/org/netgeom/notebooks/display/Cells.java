package org.netgeom.notebooks.display;

import org.netgeom.ir.Rational;
import org.netgeom.ir.Tensor;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The text of one value in a table cell or a plain-text output: exact rationals as {@code p/q}
 * (never rounded), doubles as Java prints them (the shortest text that reads back as the same
 * double in most cases), arrays and small tensors in full.
 */
public final class Cells {
    /** Tensors up to this many entries are written out in full. */
    static final int TENSOR_IN_FULL = 64;

    private Cells() {
    }

    /** The text of a value. */
    public static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Rational[] a) {
            return Arrays.stream(a).map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
        }
        if (v instanceof double[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof int[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof long[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof Object[] a) {
            return Arrays.deepToString(a);
        }
        if (v instanceof Tensor t && t.size() <= TENSOR_IN_FULL) {
            return nested(t);
        }
        return String.valueOf(v);
    }

    /** A tensor as nested lists in PyTorch's layout, e.g. {@code [[1, -1/2], [0, 3]]}. */
    static String nested(Tensor t) {
        int[] dims = t.shape().dims();
        if (dims.length == 0) {
            return String.valueOf(t.get(0));
        }
        StringBuilder sb = new StringBuilder();
        nested(t, dims, 0, 0, sb);
        return sb.toString();
    }

    private static int nested(Tensor t, int[] dims, int axis, int at, StringBuilder sb) {
        sb.append('[');
        for (int i = 0; i < dims[axis]; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (axis == dims.length - 1) {
                sb.append(t.get(at++));
            } else {
                at = nested(t, dims, axis + 1, at, sb);
            }
        }
        sb.append(']');
        return at;
    }

    /** HTML text with {@code & < > "} escaped. */
    static String html(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Markdown table-cell text: pipes escaped, line breaks as spaces. */
    static String markdown(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", " ");
    }
}
