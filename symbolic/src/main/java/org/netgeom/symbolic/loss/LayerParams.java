package org.netgeom.symbolic.loss;

import org.netgeom.ir.IrError;
import com.fasterxml.jackson.databind.JsonNode;
import org.netgeom.ir.IrPath;
import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerShape;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Symbol;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.IrReader;
import org.netgeom.ir.io.Json;
import org.netgeom.symbolic.SymbolicError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The trainable parameters of one layer L as a flat vector θ, in PyTorch's order: a dense or
 * conv2d layer's weight (row-major), then its bias; a batchnorm's weight, then its bias (an
 * omitted bias or batchnorm affine is no parameter, as in {@code model.parameters()}). The layer
 * is linear in θ jointly with its input fixed, which is what makes the loss piecewise quadratic
 * in θ (Riedi, Balestriero &amp; Baraniuk 2022).
 */
public final class LayerParams {
    private final LayerShape where;
    private final List<String> keys = new ArrayList<>();       // "weight" / "bias"
    private final List<Tensor> tensors = new ArrayList<>();
    private final int size;

    private LayerParams(LayerShape where) {
        this.where = where;
        Layer l = where.layer();
        if (l instanceof Layer.Dense d) {
            add("weight", d.weight());
            add("bias", d.bias());
        } else if (l instanceof Layer.Conv2d c) {
            add("weight", c.weight());
            add("bias", c.bias());
        } else if (l instanceof Layer.BatchNorm b) {
            add("weight", b.weight());
            add("bias", b.bias());
        }
        int n = 0;
        for (Tensor t : tensors) {
            n += t.size();
        }
        this.size = n;
        if (n == 0) {
            throw SymbolicError.NO_PARAMETERS.at(where.path().toString(), "layer " + describe(where) + " has no parameters; "
                    + "choose a dense, conv2d or affine batchnorm layer (inside a composite, with a dotted path such as 3.layers.0)");
        }
    }

    private void add(String key, Tensor t) {
        if (t != null) {
            keys.add(key);
            tensors.add(t);
        }
    }

    static String describe(LayerShape s) {
        return s.path() + " (" + s.layer().op() + (s.layer().name() == null ? "" : " '" + s.layer().name() + "'") + ")";
    }

    /** The parameters of the layer a selector names (a name, an index, or a dotted path; {@link Model#locate}). */
    public static LayerParams of(Model m, String selector) {
        return new LayerParams(m.locate(selector));
    }

    /** The parameters of a located layer. */
    public static LayerParams of(LayerShape where) {
        return new LayerParams(where);
    }

    /** The layer's IR path ({@code layers[6]}, {@code layers[3].layers[1]}). */
    public String path() {
        return where.path().toString();
    }

    public LayerShape where() {
        return where;
    }

    /** The number of parameters P. */
    public int size() {
        return size;
    }

    /** True when parameter k belongs to the bias. */
    public boolean isBias(int k) {
        int off = 0;
        for (int t = 0; t < tensors.size(); t++) {
            if (k < off + tensors.get(t).size()) {
                return keys.get(t).equals("bias");
            }
            off += tensors.get(t).size();
        }
        throw new IndexOutOfBoundsException(k);
    }

    /** The parameter names relative to the layer: {@code weight[0][1]}, {@code bias[0]}. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (int t = 0; t < tensors.size(); t++) {
            int[] dims = tensors.get(t).shape().dims();
            for (int i = 0; i < tensors.get(t).size(); i++) {
                out.add(keys.get(t) + org.netgeom.ir.Binder.index(i, dims));
            }
        }
        return out;
    }

    /** LaTeX names: W_{i,j} and b_{i} (dense, conv2d), γ_{i} and β_{i} (batchnorm), 0-based. */
    public List<String> texNames() {
        boolean bn = where.layer() instanceof Layer.BatchNorm;
        List<String> out = new ArrayList<>();
        for (int t = 0; t < tensors.size(); t++) {
            boolean w = keys.get(t).equals("weight");
            String sym = bn ? (w ? "\\gamma" : "\\beta") : (w ? "W" : "b");
            int[] dims = tensors.get(t).shape().dims();
            for (int i = 0; i < tensors.get(t).size(); i++) {
                String idx = org.netgeom.ir.Binder.index(i, dims).replace("][", ",").replace("[", "").replace("]", "");
                out.add(sym + "_{" + idx + "}");
            }
        }
        return out;
    }

    /** θ as IR scalars (rationals or free symbols). */
    public Scalar[] scalars() {
        Scalar[] out = new Scalar[size];
        int k = 0;
        for (Tensor t : tensors) {
            for (int i = 0; i < t.size(); i++) {
                out[k++] = t.get(i);
            }
        }
        return out;
    }

    /** θ as rationals; a coded error for a free symbol. */
    public Rational[] values() {
        Scalar[] s = scalars();
        Rational[] out = new Rational[size];
        for (int k = 0; k < size; k++) {
            if (s[k] instanceof Symbol y) {
                throw IrError.BAD_INPUT.at(path() + "." + names().get(k), "free symbol '" + y.name() + "' has no value; bind it with --bind");
            }
            out[k] = (Rational) s[k];
        }
        return out;
    }

    /** The layer with its parameters replaced by θ. */
    public Layer with(Rational[] theta) {
        if (theta.length != size) {
            throw new IllegalArgumentException(theta.length + " values for " + size + " parameters");
        }
        Tensor[] ts = new Tensor[tensors.size()];
        int k = 0;
        for (int t = 0; t < ts.length; t++) {
            Rational[] vals = new Rational[tensors.get(t).size()];
            System.arraycopy(theta, k, vals, 0, vals.length);
            k += vals.length;
            ts[t] = Tensor.of(tensors.get(t).shape(), vals);
        }
        Tensor w = get(ts, "weight");
        Tensor b = get(ts, "bias");
        Layer l = where.layer();
        if (l instanceof Layer.Dense d) {
            return new Layer.Dense(d.name(), w, b);
        }
        if (l instanceof Layer.Conv2d c) {
            return new Layer.Conv2d(c.name(), w, b, c.stride(), c.padding());
        }
        Layer.BatchNorm bn = (Layer.BatchNorm) l;
        return new Layer.BatchNorm(bn.name(), bn.mean(), bn.var(), w, b, bn.eps());
    }

    private Tensor get(Tensor[] ts, String key) {
        int i = keys.indexOf(key);
        return i < 0 ? null : ts[i];
    }

    /** The model with this layer's parameters replaced by θ. */
    public Model in(Model m, Rational[] theta) {
        return m.replace(where.path(), with(theta));
    }

    /** The layer alone, with parameters θ, as a model on the layer's input shape. */
    Model single(Rational[] theta) {
        return new Model(null, where.in(), List.of(with(theta)));
    }

    /**
     * Reads a direction file {@code {"weight": [[…]], "bias": […]}} shaped like this layer
     * (scalars as in the IR; an omitted tensor is zero) as a vector in θ's order. A tensor of
     * the wrong shape, a symbol, an unknown key, or a non-zero bias for a layer without one is
     * {@link SymbolicError#BAD_DIRECTION}.
     */
    public Rational[] direction(Path file) {
        JsonNode root = Json.read(file, "direction");
        String src = file.getFileName().toString();
        if (!root.isObject()) {
            throw SymbolicError.BAD_DIRECTION.at(src, "a direction is a JSON object {\"weight\": [[...]], \"bias\": [...]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("weight") && !k.equals("bias")) {
                throw SymbolicError.BAD_DIRECTION.at(src + "." + k, "unknown key '" + k + "'; a direction has \"weight\" and \"bias\"");
            }
        }
        Rational[] d = new Rational[size];
        java.util.Arrays.fill(d, Rational.ZERO);
        int off = 0;
        for (int t = 0; t < tensors.size(); t++) {
            String key = keys.get(t);
            Shape shape = tensors.get(t).shape();
            if (root.has(key)) {
                Tensor dt = readTensor(root.get(key), shape, src + "." + key);
                for (int i = 0; i < dt.size(); i++) {
                    d[off + i] = (Rational) dt.get(i);
                }
            }
            off += shape.size();
        }
        for (String key : new String[]{"weight", "bias"}) {
            if (root.has(key) && !keys.contains(key)) {
                Shape shape = key.equals("bias") ? Shape.of(where.out().dim(0)) : null;
                Tensor dt = readTensor(root.get(key), shape, src + "." + key);
                for (int i = 0; i < dt.size(); i++) {
                    if (!((Rational) dt.get(i)).isZero()) {
                        throw SymbolicError.BAD_DIRECTION.at(src + "." + key, "layer " + describe(where) + " has no " + key
                                + ", so the direction's " + key + " must be omitted or zero");
                    }
                }
            }
        }
        return d;
    }

    private static Tensor readTensor(JsonNode n, Shape want, String p) {
        Tensor t;
        try {
            t = IrReader.inlineTensor(n, want == null ? depth(n) : want.rank(), IrPath.of(p));
        } catch (NetgeomException e) {
            throw SymbolicError.BAD_DIRECTION.at(p, e.getMessage() + (want == null ? "" : " (the layer's tensor has shape " + want + ")"));
        }
        if (want != null && !t.shape().equals(want)) {
            throw SymbolicError.BAD_DIRECTION.at(p, "shape " + t.shape() + " does not match the layer's " + want);
        }
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i) instanceof Symbol y) {
                throw SymbolicError.BAD_DIRECTION.at(p, "a direction holds numbers, not the symbol '" + y.name() + "'");
            }
        }
        return t;
    }

    private static int depth(JsonNode n) {
        int d = 0;
        while (n.isArray() && !n.isEmpty()) {
            d++;
            n = n.get(0);
        }
        return d;
    }
}
