package org.netgeom.ir.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.netgeom.ir.IrError;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.TensorSource;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of
 * JSON header {@code {key: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}},
 * then the data, little-endian, offsets relative to the end of the header.
 *
 * <p>Reading checks everything the header claims against the file before any data is read (a
 * header that lies about its length or offsets is {@link IrError#IR_TENSOR_FILE}) and converts
 * F64, F32, F16 and BF16 values to their exact binary values (never to nearby "nice" rationals);
 * integer and bool tensors are read exactly too. Non-finite values are
 * {@link IrError#IR_BAD_SCALAR}.
 */
public final class Safetensors {
    /** The largest header accepted (the format's reference implementation uses 100 MB). */
    public static final long MAX_HEADER = 100L << 20;

    /** One tensor's header entry. */
    public record Entry(String key, String dtype, Shape shape, long begin, long end) {
    }

    private final Path file;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private Safetensors(Path file, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
        this.file = file;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Bytes per element of a dtype, or -1 when the dtype is unknown. */
    public static int itemSize(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> -1;
        };
    }

    /**
     * Opens a file and validates its header. Only a regular file is opened (a pipe, a device or
     * a directory is {@link IrError#IR_TENSOR_FILE} without being opened, so nothing blocks).
     * Error messages name the file and what is wrong, never what the file holds (no key names
     * but the one asked for, no header text, no sizes): a model may point at a file its reader
     * does not own.
     */
    public static Safetensors open(Path file) {
        if (!Files.exists(file)) {
            throw IrError.IR_TENSOR_FILE.error("no such tensor file: " + file.getFileName());
        }
        if (!Files.isRegularFile(file)) {
            throw IrError.IR_TENSOR_FILE.error("tensor file " + file.getFileName() + " is not a regular file (a directory, a pipe "
                    + "or a device); it is not opened");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, "is too short for the 8-byte header length of a safetensors file");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.flip().getLong();
            if (n <= 0 || n > size - 8 || n > MAX_HEADER) {
                throw bad(file, "claims a header length that does not fit the file (or exceeds the format's 100 MB)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            String text = new String(hb.array(), StandardCharsets.UTF_8);
            JsonNode header;
            try {
                header = Json.read(text);
            } catch (NetgeomException e) {
                throw bad(file, "has a header that is not JSON");
            }
            if (!header.isObject()) {
                throw bad(file, "has a header that is not a JSON object");
            }
            long dataLen = size - 8 - n;
            Map<String, Entry> entries = new LinkedHashMap<>();
            Map<String, String> meta = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    if (f.getValue().isObject()) {
                        f.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                    }
                    continue;
                }
                entries.put(f.getKey(), entry(file, f.getKey(), f.getValue(), dataLen));
            }
            requirePacked(file, entries.values(), dataLen);
            return new Safetensors(file, 8 + n, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(meta));
        } catch (NoSuchFileException e) {
            throw IrError.IR_TENSOR_FILE.error("no such tensor file: " + file.getFileName());
        } catch (IOException e) {
            throw IrError.IR_TENSOR_FILE.error("cannot read tensor file " + file.getFileName() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Entry entry(Path file, String key, JsonNode e, long dataLen) {
        JsonNode dt = e.get("dtype");
        JsonNode sh = e.get("shape");
        JsonNode off = e.get("data_offsets");
        if (dt == null || !dt.isTextual() || sh == null || !sh.isArray() || off == null || !off.isArray() || off.size() != 2) {
            throw bad(file, "has a malformed header entry (each needs dtype, shape, data_offsets)");
        }
        String dtype = dt.asText();
        int item = itemSize(dtype);
        if (item < 0) {
            throw bad(file, "stores a tensor in an unsupported dtype (netgeom reads F64, F32, F16, BF16 and integer dtypes)");
        }
        int[] dims = new int[sh.size()];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber() || d.bigIntegerValue().signum() < 0 || d.bigIntegerValue().bitLength() > 31) {
                throw bad(file, "gives a tensor an invalid shape");
            }
            dims[i] = d.intValue();
            numel *= dims[i];
            if (numel > Integer.MAX_VALUE) {
                throw bad(file, "gives a tensor more than 2^31 elements");
            }
        }
        long[] be = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode v = off.get(i);
            if (!v.isIntegralNumber() || v.bigIntegerValue().signum() < 0 || v.bigIntegerValue().bitLength() > 62) {
                throw bad(file, "gives a tensor invalid data_offsets");
            }
            be[i] = v.longValue();
        }
        if (be[0] > be[1] || be[1] > dataLen) {
            throw bad(file, "places a tensor past the end of its data");
        }
        if (be[1] - be[0] != numel * item) {
            throw bad(file, "gives a tensor a byte length that does not match its dtype and shape");
        }
        if (be[1] - be[0] > Integer.MAX_VALUE - 8) {
            throw bad(file, "holds a tensor of more than 2 GB, more than netgeom reads into memory");
        }
        return new Entry(key, dtype, Shape.of(dims), be[0], be[1]);
    }

    /**
     * The tensors lie back to back from byte 0 to the end of the file, as the format (and its
     * reference reader) requires: overlapping regions, gaps or bytes after the last tensor mean
     * the header lies about its offsets.
     */
    private static void requirePacked(Path file, Collection<Entry> entries, long dataLen) {
        List<Entry> byStart = new ArrayList<>(entries);
        byStart.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        for (Entry e : byStart) {
            if (e.begin() != at) {
                throw bad(file, "has tensors whose data_offsets " + (e.begin() < at ? "overlap" : "leave a gap between them"));
            }
            at = e.end();
        }
        if (at != dataLen) {
            throw bad(file, "holds data bytes that its header does not account for");
        }
    }

    private static NetgeomException bad(Path file, String what) {
        return IrError.IR_TENSOR_FILE.error("tensor file " + file.getFileName() + " " + what);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    public Path file() {
        return file;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Reads one tensor: exact values, double-backed where every value is a double (all float
     * dtypes and integers up to 2^53), scalar-backed otherwise.
     *
     * @param irFileName the file name as the IR spelled it (kept as the tensor's origin)
     */
    public Tensor read(String key, String irFileName) {
        Entry e = entries.get(key);
        if (e == null) {
            throw IrError.IR_TENSOR_FILE.error("tensor file " + file.getFileName() + " has no key '" + key + "'");
        }
        int n = e.shape().size();
        ByteBuffer b = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(ch, b, dataStart + e.begin());
        } catch (IOException ex) {
            throw IrError.IR_TENSOR_FILE.error("cannot read '" + key + "' from " + file.getFileName() + " (" + ex.getClass().getSimpleName() + ")");
        }
        b.flip();
        TensorSource src = new TensorSource(irFileName, key, e.dtype());
        if (e.dtype().equals("U64") || e.dtype().equals("I64")) {
            Scalar[] v = new Scalar[n];
            boolean fits = true;
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                long x = b.getLong();
                BigInteger bi = e.dtype().equals("U64") ? new BigInteger(Long.toUnsignedString(x)) : BigInteger.valueOf(x);
                v[i] = Rational.of(bi);
                fits &= bi.abs().bitLength() <= 53;
                d[i] = bi.doubleValue();
            }
            return (fits ? Tensor.ofDoubles(e.shape(), d) : Tensor.of(e.shape(), v)).withSource(src);
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            double x = switch (e.dtype()) {
                case "F64" -> b.getDouble();
                case "F32" -> b.getFloat();
                case "F16" -> halfToDouble(b.getShort());
                case "BF16" -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                case "I32" -> b.getInt();
                case "U32" -> b.getInt() & 0xffffffffL;
                case "I16" -> b.getShort();
                case "U16" -> b.getShort() & 0xffff;
                case "I8" -> b.get();
                case "U8" -> b.get() & 0xff;
                case "BOOL" -> b.get() != 0 ? 1 : 0;
                default -> throw new IllegalStateException(e.dtype());
            };
            if (!Double.isFinite(x)) {
                throw IrError.IR_BAD_SCALAR.error("tensor '" + key + "' in " + file.getFileName() + " holds a non-finite value "
                        + "(NaN or an infinity); values must be finite");
            }
            d[i] = x;
        }
        return Tensor.ofDoubles(e.shape(), d, src);
    }

    /** IEEE 754 binary16 to its exact double value. */
    static double halfToDouble(short h) {
        int bits = h & 0xffff;
        int sign = (bits >>> 15) != 0 ? -1 : 1;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return mant == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (exp == 0) {
            return sign * Math.scalb((double) mant, -24);
        }
        return sign * Math.scalb((double) (mant | 0x400), exp - 25);
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes tensors as F64 (or F32 when {@code f32}; each value must then be a float exactly,
     * else it is rounded to the nearest float, which the caller asked for), atomically: the file
     * appears whole or not at all. Tensors are written in the map's order.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, boolean f32) {
        String dtype = f32 ? "F32" : "F64";
        int item = f32 ? 4 : 8;
        ObjectNode header = new ObjectMapper().createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long off = 0;
        for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
            ObjectNode e = header.putObject(t.getKey());
            e.put("dtype", dtype);
            var shape = e.putArray("shape");
            for (int d : t.getValue().shape().dims()) {
                shape.add(d);
            }
            long len = (long) t.getValue().size() * item;
            e.putArray("data_offsets").add(off).add(off + len);
            off += len;
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8;
        long total = 8 + h.length + pad + off;
        if (total > Integer.MAX_VALUE - 16) {
            throw IrError.IR_IO.error("tensors too large for one safetensors file (" + total + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length + pad).put(h);
        for (int i = 0; i < pad; i++) {
            b.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            for (double v : t.nearestDoubles()) {
                if (f32) {
                    b.putFloat((float) v);
                } else {
                    b.putDouble(v);
                }
            }
        }
        AtomicFiles.write(file, b.array());
    }
}
