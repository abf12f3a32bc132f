package org.netgeom.ir.io;

import com.fasterxml.jackson.databind.JsonNode;
import org.netgeom.ir.IrError;
import org.netgeom.ir.IrPath;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the model IR, version 1 (../shared/IR.md), exactly: JSON numbers by their decimal text
 * ({@code 0.1} is 1/10), strings as rationals, decimals or symbols, tensors inline or from
 * safetensors files beside the IR file (exact binary values). Every problem is a coded
 * {@link NetgeomException} with the JSON path of the culprit; a model is returned only whole and
 * valid (shapes inferred and checked by {@link Model}).
 *
 * <p>Defaults where IR.md is silent follow PyTorch: {@code leaky_relu} without {@code slope} has
 * slope 1/100 (torch.nn.LeakyReLU's 0.01), {@code batchnorm}'s {@code eps} is 1/100000 and its
 * {@code weight}/{@code bias} are 1/0, conv2d's stride 1 and padding 0, a pool's stride its kernel.
 * Unknown keys are kept out of the model and reported as warnings.
 */
public final class IrReader {
    /** A model and the warnings reading it raised (unknown keys). */
    public record Result(Model model, List<String> warnings) {
    }

    private final Path baseDir;
    private final TensorPaths tensorPaths;
    private final Map<String, Safetensors> files = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private IrReader(Path baseDir, TensorPaths tensorPaths) {
        this.baseDir = baseDir;
        this.tensorPaths = tensorPaths == null ? TensorPaths.MODEL_DIR_ONLY : tensorPaths;
    }

    /** Reads a model file; tensor files are read only from its directory and below ({@link TensorPaths}). */
    public static Model read(Path file) {
        return readWithWarnings(file).model();
    }

    public static Result readWithWarnings(Path file) {
        return readWithWarnings(file, TensorPaths.MODEL_DIR_ONLY);
    }

    /** Reads a model file; tensor files may also lie in the directories {@code paths} allows. */
    public static Result readWithWarnings(Path file, TensorPaths paths) {
        Path dir = file.toAbsolutePath().getParent();
        return new IrReader(dir, paths).model(Json.read(file, "model"));
    }

    /** Reads a model from JSON text; tensor files are looked up in {@code baseDir} (may be null) and below it. */
    public static Model read(String json, Path baseDir) {
        return new IrReader(baseDir, TensorPaths.MODEL_DIR_ONLY).model(Json.read(json)).model();
    }

    /** Reads a model from a parsed tree (exact numbers, as {@link Json} builds it). */
    public static Result fromTree(JsonNode root, Path baseDir) {
        return new IrReader(baseDir, TensorPaths.MODEL_DIR_ONLY).model(root);
    }

    // ------------------------------------------------------------------ the model

    private Result model(JsonNode root) {
        if (!root.isObject()) {
            throw IrError.IR_BAD_VALUE.error("a model is a JSON object with keys netgeom, input and layers");
        }
        JsonNode v = root.get("netgeom");
        if (v == null) {
            throw IrError.IR_VERSION.at("netgeom", "missing the format version key \"netgeom\": 1");
        }
        if (!v.isIntegralNumber() || !v.bigIntegerValue().equals(BigInteger.ONE)) {
            throw IrError.IR_VERSION.at("netgeom", "format version " + v + " is not supported (this netgeom reads version "
                    + Model.VERSION + ")");
        }
        String name = optionalString(root, "name", IrPath.ROOT);
        Shape input = shape(require(root, "input", IrPath.ROOT), IrPath.of("input"));
        List<Layer> layers = layers(require(root, "layers", IrPath.ROOT), IrPath.of("layers"));
        unknownKeys(root, IrPath.ROOT, Set.of("netgeom", "name", "input", "layers"));
        return new Result(new Model(name, input, layers), List.copyOf(warnings));
    }

    private Shape shape(JsonNode n, IrPath p) {
        if (!n.isArray() || n.isEmpty()) {
            throw IrError.IR_BAD_VALUE.at(p.toString(), "the input shape is a list of positive sizes, [n] or [C, H, W]");
        }
        int[] d = new int[n.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = positiveInt(n.get(i), p.index(i), 1);
        }
        try {
            Shape s = Shape.of(d);
            s.size();
            return s;
        } catch (NetgeomException e) {   // more than 2^31 elements: the culprit is the input shape
            throw new NetgeomException(e.code(), e.getMessage(), p.toString(), e);
        }
    }

    private List<Layer> layers(JsonNode n, IrPath p) {
        if (!n.isArray()) {
            throw IrError.IR_BAD_VALUE.at(p.toString(), "expected a list of layers");
        }
        List<Layer> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            out.add(layer(n.get(i), p.index(i)));
        }
        return out;
    }

    private Layer layer(JsonNode n, IrPath p) {
        if (!n.isObject()) {
            throw IrError.IR_BAD_VALUE.at(p.toString(), "a layer is a JSON object with an \"op\"");
        }
        JsonNode opNode = require(n, "op", p);
        if (!opNode.isTextual()) {
            throw IrError.IR_BAD_VALUE.at(p.key("op").toString(), "op must be a string");
        }
        String op = opNode.asText();
        String name = optionalString(n, "name", p);
        Layer l;
        Set<String> keys;
        switch (op) {
            case "dense" -> {
                l = new Layer.Dense(name, tensor(n, "weight", 2, p, true), tensor(n, "bias", 1, p, false));
                keys = Set.of("weight", "bias");
            }
            case "relu" -> {
                l = Layer.AbRelu.relu(name);
                keys = Set.of();
            }
            case "abs" -> {
                l = Layer.AbRelu.abs(name);
                keys = Set.of();
            }
            case "leaky_relu" -> {
                Scalar slope = present(n, "slope") ? scalar(n.get("slope"), p.key("slope")) : Rational.of(1, 100);
                l = Layer.AbRelu.leakyRelu(name, slope);
                keys = Set.of("slope");
            }
            case "abrelu" -> {
                l = Layer.AbRelu.abrelu(name, scalar(require(n, "neg", p), p.key("neg")), scalar(require(n, "pos", p), p.key("pos")));
                keys = Set.of("neg", "pos");
            }
            case "identity" -> {
                l = new Layer.Identity(name);
                keys = Set.of();
            }
            case "square" -> {
                l = new Layer.Square(name);
                keys = Set.of();
            }
            case "flatten" -> {
                l = new Layer.Flatten(name);
                keys = Set.of();
            }
            case "residual" -> {
                l = new Layer.Residual(name, layers(require(n, "layers", p), p.key("layers")),
                        present(n, "shortcut") ? layers(n.get("shortcut"), p.key("shortcut")) : null);
                keys = Set.of("layers", "shortcut");
            }
            case "concat" -> {
                l = new Layer.Concat(name, layers(require(n, "layers", p), p.key("layers")));
                keys = Set.of("layers");
            }
            case "batchnorm" -> {
                Scalar eps = present(n, "eps") ? scalar(n.get("eps"), p.key("eps")) : Layer.BatchNorm.DEFAULT_EPS;
                l = new Layer.BatchNorm(name, tensor(n, "mean", 1, p, true), tensor(n, "var", 1, p, true),
                        tensor(n, "weight", 1, p, false), tensor(n, "bias", 1, p, false), eps);
                keys = Set.of("mean", "var", "weight", "bias", "eps");
            }
            case "conv2d" -> {
                Layer.Hw stride = present(n, "stride") ? hw(n.get("stride"), p.key("stride"), 1) : Layer.Hw.of(1);
                Layer.Hw pad = present(n, "padding") ? hw(n.get("padding"), p.key("padding"), 0) : Layer.Hw.of(0);
                l = new Layer.Conv2d(name, tensor(n, "weight", 4, p, true), tensor(n, "bias", 1, p, false), stride, pad);
                keys = Set.of("weight", "bias", "stride", "padding");
            }
            case "maxpool2d", "avgpool2d" -> {
                Layer.Hw k = hw(require(n, "kernel", p), p.key("kernel"), 1);
                Layer.Hw s = present(n, "stride") ? hw(n.get("stride"), p.key("stride"), 1) : k;
                l = op.equals("maxpool2d") ? new Layer.MaxPool2d(name, k, s) : new Layer.AvgPool2d(name, k, s);
                keys = Set.of("kernel", "stride");
            }
            case "hardtanh" -> {
                Rational lo = present(n, "min_val") ? rational(n.get("min_val"), p.key("min_val")) : Layer.HardTanh.DEFAULT_MIN;
                Rational hi = present(n, "max_val") ? rational(n.get("max_val"), p.key("max_val")) : Layer.HardTanh.DEFAULT_MAX;
                if (lo.compareTo(hi) >= 0) {
                    throw IrError.IR_BAD_VALUE.at(p.key("max_val").toString(), "hardtanh needs min_val < max_val, found min_val "
                            + lo + " and max_val " + hi);
                }
                l = new Layer.HardTanh(name, lo, hi);
                keys = Set.of("min_val", "max_val");
            }
            case "maxout" -> {
                l = new Layer.Maxout(name, positiveInt(require(n, "k", p), p.key("k"), 1));
                keys = Set.of("k");
            }
            default -> {
                Layer.Smooth.Fn fn = Layer.Smooth.Fn.byOp(op);
                if (fn == null) {
                    throw IrError.IR_UNKNOWN_OP.at(p.key("op").toString(), "unknown op '" + op + "' (known: dense, relu, "
                            + "leaky_relu, abs, abrelu, identity, square, tanh, sigmoid, erf, softplus, gelu, residual, "
                            + "concat, batchnorm, conv2d, maxpool2d, avgpool2d, flatten, hardtanh, maxout)");
                }
                l = new Layer.Smooth(name, fn);
                keys = Set.of();
            }
        }
        Set<String> allowed = new java.util.HashSet<>(keys);
        allowed.add("op");
        allowed.add("name");
        unknownKeys(n, p, allowed);
        return l;
    }

    // ------------------------------------------------------------------ pieces

    private static JsonNode require(JsonNode obj, String key, IrPath p) {
        JsonNode v = obj.get(key);
        if (v == null) {
            throw IrError.IR_MISSING_KEY.at(p.key(key).toString(), "missing required key \"" + key + "\"");
        }
        return v;
    }

    /** An optional key that is given: present and not JSON null (null means absent, as for "bias": null). */
    private static boolean present(JsonNode n, String key) {
        return n.has(key) && !n.get(key).isNull();
    }

    private static String optionalString(JsonNode obj, String key, IrPath p) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw IrError.IR_BAD_VALUE.at(p.key(key).toString(), key + " must be a string");
        }
        return v.asText();
    }

    private void unknownKeys(JsonNode obj, IrPath p, Set<String> allowed) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                warnings.add("ignored unknown key \"" + k + "\" at " + (p.isRoot() ? "the top level" : p.toString()));
            }
        }
    }

    private static int positiveInt(JsonNode n, IrPath p, int min) {
        BigInteger v = integral(n);
        if (v == null || v.compareTo(BigInteger.valueOf(min)) < 0 || v.bitLength() > 31) {
            throw IrError.IR_BAD_VALUE.at(p.toString(), "expected an integer >= " + min + ", found " + n);
        }
        return v.intValue();
    }

    private static BigInteger integral(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue();
        }
        if (n.isBigDecimal()) {
            BigDecimal d = n.decimalValue();
            try {
                return d.toBigIntegerExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    private static Layer.Hw hw(JsonNode n, IrPath p, int min) {
        if (n.isArray()) {
            if (n.size() != 2) {
                throw IrError.IR_BAD_VALUE.at(p.toString(), "expected an int or [h, w], found " + n);
            }
            return new Layer.Hw(positiveInt(n.get(0), p.index(0), min), positiveInt(n.get(1), p.index(1), min));
        }
        return Layer.Hw.of(positiveInt(n, p, min));
    }

    /** One scalar node: a JSON number (exact decimal) or a string. */
    /** A scalar that must be a rational constant (a free symbol is {@link IrError#IR_BAD_VALUE}). */
    private static Rational rational(JsonNode n, IrPath p) {
        Scalar s = scalar(n, p);
        if (!(s instanceof Rational q)) {
            throw IrError.IR_BAD_VALUE.at(p.toString(), "expected a rational constant, found the symbol '" + s + "'");
        }
        return q;
    }

    public static Scalar scalar(JsonNode n, IrPath p) {
        if (n.isNumber()) {
            if (n.isDouble() || n.isFloat()) {
                double d = n.doubleValue();
                if (!Double.isFinite(d)) {
                    throw IrError.IR_BAD_SCALAR.at(p.toString(), (Double.isNaN(d) ? "NaN" : "an infinity")
                            + " is not a valid scalar (values must be finite)");
                }
                return Rational.fromDouble(d);   // not produced by Json, kept exact if a caller builds one
            }
            try {
                return n.isIntegralNumber() ? Rational.of(n.bigIntegerValue()) : Rational.of(n.decimalValue());
            } catch (ArithmeticException e) {
                throw IrError.IR_BAD_SCALAR.at(p.toString(), "number " + n + " is out of range: " + e.getMessage());
            }
        }
        if (n.isTextual()) {
            try {
                return Scalar.parse(n.asText());
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw IrError.IR_BAD_SCALAR.at(p.toString(), e.getMessage());
            }
        }
        throw IrError.IR_BAD_SCALAR.at(p.toString(), "expected a scalar (a number, or a string such as \"3/7\" or \"w1\"), found "
                + (n.isContainerNode() ? (n.isArray() ? "a list" : "an object") : n.toString()));
    }

    private Tensor tensor(JsonNode layer, String key, int rank, IrPath lp, boolean required) {
        JsonNode n = layer.get(key);
        if (n == null || (n.isNull() && !required)) {
            if (required) {
                throw IrError.IR_MISSING_KEY.at(lp.key(key).toString(), "missing required tensor \"" + key + "\"");
            }
            return null;
        }
        IrPath p = lp.key(key);
        Tensor t = n.isObject() ? fileTensor(n, p) : inlineTensor(n, rank, p);
        if (t.shape().rank() != rank) {
            throw IrError.IR_SHAPE_MISMATCH.at(p.toString(), key + " must have rank " + rank + ", it has shape " + t.shape());
        }
        if (t.size() == 0) {
            throw IrError.IR_SHAPE_MISMATCH.at(p.toString(), key + " is empty (shape " + t.shape() + ")");
        }
        return t;
    }

    /** Nested arrays of scalars, checked for raggedness, read into a scalar-backed tensor. */
    public static Tensor inlineTensor(JsonNode n, int rank, IrPath p) {
        List<Integer> dims = new ArrayList<>();
        JsonNode cur = n;
        while (cur.isArray()) {
            dims.add(cur.size());
            if (cur.isEmpty()) {
                break;
            }
            cur = cur.get(0);
        }
        if (dims.size() != rank) {
            throw IrError.IR_SHAPE_MISMATCH.at(p.toString(), "expected a rank-" + rank + " tensor (nested lists "
                    + rank + " deep), found " + (dims.isEmpty() ? "a scalar" : "lists " + dims.size() + " deep"));
        }
        Shape shape = Shape.of(dims);
        Scalar[] out = new Scalar[shape.size()];
        fill(n, 0, shape.dims(), p, out, new int[]{0});
        return Tensor.of(shape, out);
    }

    private static void fill(JsonNode n, int depth, int[] dims, IrPath p, Scalar[] out, int[] pos) {
        if (depth == dims.length) {
            if (n.isArray()) {
                throw IrError.IR_SHAPE_MISMATCH.at(p.toString(), "ragged tensor: a list where a scalar belongs");
            }
            out[pos[0]++] = scalar(n, p);
            return;
        }
        if (!n.isArray()) {
            throw IrError.IR_SHAPE_MISMATCH.at(p.toString(), "ragged tensor: a scalar where a list of " + dims[depth] + " belongs");
        }
        if (n.size() != dims[depth]) {
            throw IrError.IR_SHAPE_MISMATCH.at(p.toString(), "ragged tensor: " + n.size() + " entries where its siblings have "
                    + dims[depth]);
        }
        for (int i = 0; i < n.size(); i++) {
            fill(n.get(i), depth + 1, dims, p.index(i), out, pos);
        }
    }

    private Tensor fileTensor(JsonNode n, IrPath p) {
        JsonNode f = n.get("file");
        JsonNode k = n.get("key");
        if (f == null || !f.isTextual() || k == null || !k.isTextual()) {
            throw IrError.IR_BAD_VALUE.at(p.toString(), "a tensor reference is {\"file\": \"weights.safetensors\", \"key\": \"fc1.weight\"}");
        }
        if (baseDir == null) {
            throw IrError.IR_TENSOR_FILE.at(p.toString(), "tensor files are looked up beside the IR file; this model was not read from a file");
        }
        String name = f.asText();
        Safetensors st;
        try {
            Safetensors open = files.get(name);
            if (open == null) {
                open = Safetensors.open(tensorPaths.resolve(baseDir, name, p.toString()));
                files.put(name, open);
            }
            st = open;
        } catch (NetgeomException e) {
            throw new NetgeomException(e.code(), e.getMessage(), p.toString(), e);
        }
        try {
            return st.read(k.asText(), name);
        } catch (NetgeomException e) {
            throw new NetgeomException(e.code(), e.getMessage(), p.toString(), e);
        }
    }
}
