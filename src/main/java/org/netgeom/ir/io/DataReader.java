package org.netgeom.ir.io;

import com.fasterxml.jackson.databind.JsonNode;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.IrError;
import org.netgeom.ir.IrPath;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Symbol;
import org.netgeom.ir.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads data sets (IR.md, "Data sets"): CSV with header {@code x1,…,xn,y1,…,yk} (columns may come
 * in any order; y columns may be absent), JSON {@code {"x": [[…]], "y": [[…]]}} with scalars as in
 * the IR (an x row may be nested, [C][H][W], and is flattened row-major), or safetensors with keys
 * {@code x} and {@code y} (a 1-D y is one column). Values are exact; symbols are not allowed in
 * data. Problems are {@link IrError#IR_DATA} (or {@link IrError#IR_BAD_SCALAR} for a value that is
 * no number) with the row and column.
 */
public final class DataReader {
    private static final Pattern COLUMN = Pattern.compile("([xXyY])([0-9]{1,9})");

    private DataReader() {
    }

    /** Reads a data file by its extension (.csv, .json, .safetensors). */
    public static DataSet read(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(file)) {
            throw IrError.IR_IO.error(Files.exists(file) ? "data file " + file + " is not a regular file (a directory, a pipe or a device)"
                    : "no such data file: " + file);
        }
        DataSizes.Estimate est = DataSizes.estimate(file);
        MemoryBudget.require(est.peakBytes(), "reading data set " + file.getFileName() + " (" + est + ")", null,
                "or a sample of it");
        if (n.endsWith(".json")) {
            return json(Json.read(file, "data set"));
        }
        if (n.endsWith(".safetensors")) {
            return safetensors(file);
        }
        return csv(file);
    }

    // ------------------------------------------------------------------ CSV

    private static DataSet csv(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = null;
            int lineNo = 0;
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);   // a byte-order mark, as spreadsheets write "CSV UTF-8"
                }
                if (!line.isBlank() && !line.startsWith("#")) {
                    header = line;
                    break;
                }
            }
            if (header == null) {
                throw IrError.IR_DATA.error(file.getFileName() + " is empty; expected a header x1,...,xn,y1,...,yk and rows");
            }
            String[] cols = split(header);
            int[] xCol = columns(cols, 'x', file);
            int[] yCol = columns(cols, 'y', file);
            if (xCol.length == 0) {
                throw IrError.IR_DATA.at("line " + lineNo, "the header names no x columns (expected x1,...,xn,y1,...,yk): " + header);
            }
            Columns xs = new Columns(xCol.length);
            Columns ys = new Columns(yCol.length);
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = split(line);
                if (cells.length != cols.length) {
                    throw IrError.IR_DATA.at("line " + lineNo, "this row has " + cells.length + " values, the header has " + cols.length);
                }
                for (int j = 0; j < xCol.length; j++) {
                    xs.add(value(cells[xCol[j]], "line " + lineNo + ", column " + cols[xCol[j]].trim()));
                }
                for (int j = 0; j < yCol.length; j++) {
                    ys.add(value(cells[yCol[j]], "line " + lineNo + ", column " + cols[yCol[j]].trim()));
                }
            }
            if (xs.rows() == 0) {
                throw IrError.IR_DATA.error(file.getFileName() + " has a header but no rows");
            }
            return new DataSet(xs.tensor(), yCol.length == 0 ? null : ys.tensor());
        } catch (NoSuchFileException e) {
            throw IrError.IR_IO.error("no such data file: " + file);
        } catch (CharacterCodingException e) {
            throw IrError.IR_DATA.error(file.getFileName() + " is not UTF-8 text (a CSV data set is x1,...,xn,y1,...,yk)");
        } catch (IOException e) {
            throw IrError.IR_IO.error("cannot read data file " + file + ": " + e.getMessage());
        }
    }

    private static String[] split(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].trim();
            if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
                c = c.substring(1, c.length() - 1).trim();
            }
            cells[i] = c;
        }
        return cells;
    }

    /** The positions of columns {@code <letter>1..<letter>n}, in index order; checks 1..n are all there. */
    private static int[] columns(String[] cols, char letter, Path file) {
        List<int[]> found = new ArrayList<>();
        for (int i = 0; i < cols.length; i++) {
            Matcher m = COLUMN.matcher(cols[i]);
            if (m.matches()) {
                if (Character.toLowerCase(m.group(1).charAt(0)) == letter) {
                    found.add(new int[]{Integer.parseInt(m.group(2)), i});
                }
            } else if (Character.toLowerCase(letter) == 'x') {
                throw IrError.IR_DATA.at("line 1", "header column '" + cols[i] + "' is neither x<i> nor y<j>");
            }
        }
        found.sort((a, b) -> Integer.compare(a[0], b[0]));
        int[] pos = new int[found.size()];
        for (int k = 0; k < pos.length; k++) {
            if (found.get(k)[0] != k + 1) {
                throw IrError.IR_DATA.at("line 1", "the header's " + letter + " columns must be " + letter + "1.." + letter
                        + found.size() + " (each once); " + file.getFileName() + " has " + letter + found.get(k)[0] + " in place "
                        + (k + 1));
            }
            pos[k] = found.get(k)[1];
        }
        return pos;
    }

    private static Rational value(String text, String where) {
        Scalar s;
        try {
            s = Scalar.parse(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw IrError.IR_BAD_SCALAR.at(where, text.isEmpty() ? "empty value" : e.getMessage());
        }
        if (s instanceof Symbol) {
            throw IrError.IR_DATA.at(where, "'" + text + "' is a symbol; data values must be numbers");
        }
        return (Rational) s;
    }

    /**
     * Collects rows of exact values; stored as doubles while every value is exactly a double
     * (the common case, and 8 bytes a value), as rationals once one is not.
     */
    private static final class Columns {
        private final int width;
        private double[] d = new double[64];
        private List<Rational> q;     // non-null once a value is not exactly a double
        private int n;

        Columns(int width) {
            this.width = width;
        }

        void add(Rational r) {
            if (!Double.isFinite(r.doubleValue())) {
                // found by the fuzz suite (FuzzTest): 1e99999 reached the numeric engines as Infinity
                throw IrError.IR_DATA.error("a data value (" + (r.signum() < 0 ? "-" : "") + "about 10^"
                        + (r.abs().floor().toString().length() - 1) + ") lies beyond the range of a double; data values must be "
                        + "at most about 1.8e308 in magnitude");
            }
            if (q == null) {
                double v = r.doubleValue();
                if (Rational.fromDouble(v).equals(r)) {
                    if (n == d.length) {
                        d = java.util.Arrays.copyOf(d, 2 * n);
                    }
                    d[n++] = v;
                    return;
                }
                q = new ArrayList<>(Math.max(16, 2 * n));
                for (int i = 0; i < n; i++) {
                    q.add(Rational.fromDouble(d[i]));
                }
                d = null;
            }
            q.add(r);
            n++;
        }

        int rows() {
            return width == 0 ? 0 : n / width;
        }

        Tensor tensor() {
            Shape s = Shape.of(rows(), width);
            return q == null ? Tensor.ofDoubles(s, java.util.Arrays.copyOf(d, n)) : Tensor.of(s, q.toArray(new Scalar[0]));
        }
    }

    // ------------------------------------------------------------------ JSON

    static DataSet json(JsonNode root) {
        if (!root.isObject() || !root.has("x")) {
            throw IrError.IR_DATA.error("a JSON data set is {\"x\": [[...], ...], \"y\": [[...], ...]}");
        }
        Tensor x = rows(root.get("x"), "x");
        Tensor y = root.has("y") && !root.get("y").isNull() ? rows(root.get("y"), "y") : null;
        if (y != null && y.shape().dim(0) != x.shape().dim(0)) {
            throw IrError.IR_DATA.at("y", "y has " + y.shape().dim(0) + " rows, x has " + x.shape().dim(0));
        }
        return new DataSet(x, y);
    }

    private static Tensor rows(JsonNode n, String key) {
        if (!n.isArray() || n.isEmpty()) {
            throw IrError.IR_DATA.at(key, key + " must be a non-empty list of rows");
        }
        int rank = 0;
        for (JsonNode c = n; c.isArray() && !c.isEmpty(); c = c.get(0)) {
            rank++;
        }
        if (rank == 1) {                      // a flat list: one value per row
            Columns col = new Columns(1);
            for (int i = 0; i < n.size(); i++) {
                col.add(exact(IrReader.scalar(n.get(i), IrPath.of(key).index(i)), key + "[" + i + "]"));
            }
            return col.tensor();
        }
        Tensor t;
        try {
            t = IrReader.inlineTensor(n, rank, IrPath.of(key));
        } catch (NetgeomException e) {
            throw e.code() == IrError.IR_SHAPE_MISMATCH ? new NetgeomException(IrError.IR_DATA, e.getMessage(), e.path()) : e;
        }
        int rowsN = t.shape().dim(0);
        int width = t.size() / rowsN;
        Columns col = new Columns(width);
        for (int i = 0; i < t.size(); i++) {
            col.add(exact(t.get(i), key + org.netgeom.ir.Binder.index(i, t.shape().dims())));
        }
        return col.tensor();
    }

    private static Rational exact(Scalar s, String where) {
        if (s instanceof Rational r) {
            return r;
        }
        throw IrError.IR_DATA.at(where, "'" + s + "' is a symbol; data values must be numbers");
    }

    // ------------------------------------------------------------------ safetensors

    private static DataSet safetensors(Path file) {
        Safetensors st = Safetensors.open(file);
        if (!st.entries().containsKey("x")) {
            throw IrError.IR_DATA.error(file.getFileName() + " has no tensor 'x' (a data set needs keys x and y)");
        }
        Tensor x = asRows(st.read("x", file.getFileName().toString()), "x");
        Tensor y = st.entries().containsKey("y") ? asRows(st.read("y", file.getFileName().toString()), "y") : null;
        if (y != null && y.shape().dim(0) != x.shape().dim(0)) {
            throw IrError.IR_DATA.at("y", "y has " + y.shape().dim(0) + " rows, x has " + x.shape().dim(0));
        }
        return new DataSet(x, y);
    }

    private static Tensor asRows(Tensor t, String key) {
        if (t.shape().rank() == 0 || t.shape().dim(0) == 0) {
            throw IrError.IR_DATA.at(key, key + " has no rows (shape " + t.shape() + ")");
        }
        int n = t.shape().dim(0);
        Shape s = Shape.of(n, t.size() / n);
        return t.isDoubleBacked() ? Tensor.ofDoubles(s, t.nearestDoubles()) : reshape(t, s);
    }

    private static Tensor reshape(Tensor t, Shape s) {
        Scalar[] v = new Scalar[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.get(i);
        }
        return Tensor.of(s, v);
    }
}
