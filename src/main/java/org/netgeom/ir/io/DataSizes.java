package org.netgeom.ir.io;

import org.netgeom.ir.IrError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The memory a data file will take once read, estimated from its size and its first megabyte
 * before it is loaded ({@link MemoryBudget} decides whether that fits).
 *
 * <ul>
 * <li>CSV: rows ≈ (file size − header) / mean length of the sampled rows (exact when the sample
 *     is the whole file), columns from the header; reading keeps up to three arrays of
 *     rows × columns doubles at once (the growing buffer, its doubled copy, the final tensor),
 *     so the peak is rows × columns × 24 bytes; values that are not exactly doubles (0.1, 1/3)
 *     are exact rationals, about 72 bytes each at the peak (decided on the sample).</li>
 * <li>JSON: values ≈ file size / mean length of a sampled number; the parsed tree and the
 *     exact rationals take about 256 bytes a value (Jackson node + BigDecimal + Rational).</li>
 * <li>safetensors: the element counts of {@code x} and {@code y} from the header (exact); the
 *     raw bytes plus two arrays of doubles.</li>
 * </ul>
 * These are estimates: an {@code OutOfMemoryError} past them is still reported as a coded error
 * by the command line.
 */
public final class DataSizes {
    private static final int SAMPLE = 1 << 20;
    /** Bytes per value of a JSON data set while it is read (tree + exact rationals). */
    static final long JSON_BYTES_PER_VALUE = 256;

    private DataSizes() {
    }

    /** The estimate: rows and columns (x and y together), and the peak bytes while reading. */
    public record Estimate(double rows, int columns, double peakBytes, boolean exact) {
        @Override
        public String toString() {
            if (columns <= 0) {
                return String.format(Locale.ROOT, "about %.3g values", rows);
            }
            return (exact ? "" : "about ") + String.format(Locale.ROOT, rows < 1e6 ? "%.0f" : "%.3g", rows) + " rows × " + columns + " columns";
        }
    }

    public static Estimate estimate(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            long size = Files.size(file);
            if (n.endsWith(".safetensors")) {
                return safetensors(file);
            }
            byte[] head = new byte[(int) Math.min(size, SAMPLE)];
            try (InputStream in = Files.newInputStream(file)) {
                int off = 0;
                while (off < head.length) {
                    int r = in.read(head, off, head.length - off);
                    if (r < 0) {
                        break;
                    }
                    off += r;
                }
            }
            boolean whole = head.length == size;
            return n.endsWith(".json") ? json(head, size, whole) : csv(head, size, whole);
        } catch (IOException e) {
            throw IrError.IR_IO.error("cannot read data file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    private static Estimate csv(byte[] head, long size, boolean whole) {
        String text = new String(head, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        int columns = -1;
        long headerBytes = 0;
        long rows = 0;
        long rowBytes = 0;
        int last = whole ? lines.length : lines.length - 1;      // the sample's last line may be cut
        for (int i = 0; i < last; i++) {
            String l = lines[i];
            long len = l.getBytes(StandardCharsets.UTF_8).length + 1;
            if (l.isBlank() || l.startsWith("#")) {
                if (columns < 0) {
                    headerBytes += len;
                }
                continue;
            }
            if (columns < 0) {
                columns = l.split(",", -1).length;
                headerBytes += len;
                continue;
            }
            rows++;
            rowBytes += len;
        }
        columns = Math.max(columns, 1);
        double r = whole || rows == 0 ? rows : (double) rows * (size - headerBytes) / rowBytes;
        if (!whole && rows == 0) {
            r = (double) size / 2 / columns;       // a single row longer than the sample: at least one char and a comma a value
        }
        return new Estimate(r, columns, r * columns * csvBytesPerValue(lines, last), whole);
    }

    /**
     * Bytes a CSV value takes at the peak of reading: 24 while every value is exactly a double
     * (three arrays of doubles), 72 once one is not (an exact rational, measured at 46 bytes
     * retained, plus the list that grows around it), judged on the sample's first 2000 values.
     */
    private static double csvBytesPerValue(String[] lines, int last) {
        int seen = 0;
        boolean header = true;
        for (int i = 0; i < last && seen < 2000; i++) {
            String l = lines[i];
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            for (String c : l.split(",", -1)) {
                seen++;
                try {
                    if (org.netgeom.ir.Scalar.parse(c.trim().replace("\"", "")) instanceof org.netgeom.ir.Rational q
                            && !org.netgeom.ir.Rational.fromDouble(q.doubleValue()).equals(q)) {
                        return 72;
                    }
                } catch (RuntimeException malformed) {
                    // the reader will say what is wrong with it
                }
            }
        }
        return 24;
    }

    private static Estimate json(byte[] head, long size, boolean whole) {
        long values = 0;
        boolean inNumber = false;
        for (byte b : head) {
            boolean num = (b >= '0' && b <= '9') || b == '.' || b == '-' || b == '+' || b == 'e' || b == 'E' || b == '/';
            if (num && !inNumber) {
                values++;
            }
            inNumber = num;
        }
        double v = whole || head.length == 0 ? values : (double) values * size / head.length;
        return new Estimate(v, 0, v * JSON_BYTES_PER_VALUE, whole);
    }

    private static Estimate safetensors(Path file) {
        Safetensors st = Safetensors.open(file);
        double values = 0;
        double raw = 0;
        int cols = 0;
        double rows = 0;
        for (String k : new String[]{"x", "y"}) {
            Safetensors.Entry e = st.entries().get(k);
            if (e != null) {
                values += e.shape().size();
                raw += e.end() - e.begin();
                if (e.shape().rank() > 0 && e.shape().dim(0) > 0) {
                    rows = e.shape().dim(0);
                    cols += e.shape().size() / e.shape().dim(0);
                }
            }
        }
        return new Estimate(rows, cols, raw + values * 16, true);
    }
}
