package org.netgeom.ir;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A network of the IR, version 1: a name, an input shape and layers applied in order. Immutable
 * and always valid: the constructor infers every layer's shape and throws a coded
 * {@link NetgeomException} when the layers do not chain.
 */
public final class Model {
    /** The IR format version this code reads and writes. */
    public static final int VERSION = 1;

    private final String name;
    private final Shape input;
    private final List<Layer> layers;
    private final List<LayerShape> shapes;

    public Model(String name, Shape input, List<Layer> layers) {
        this.name = name;
        this.input = Objects.requireNonNull(input, "input");
        this.layers = List.copyOf(layers);
        if (input.rank() == 0 || input.size() == 0) {
            throw IrError.IR_BAD_VALUE.at("input", "the input shape must be a non-empty list of positive sizes, not " + input);
        }
        this.shapes = ShapeInference.infer(this.layers, input, IrPath.of("layers"));
    }

    /** The model's name, or null. */
    public String name() {
        return name;
    }

    public Shape input() {
        return input;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** The top-level layers with their shapes (composites nest theirs). */
    public List<LayerShape> shapes() {
        return shapes;
    }

    public Shape output() {
        return shapes.isEmpty() ? input : shapes.get(shapes.size() - 1).out();
    }

    /** Visits every layer, composites before their inner layers (body, then shortcut). */
    public void walk(Consumer<LayerShape> f) {
        walk(shapes, f);
    }

    private static void walk(List<LayerShape> ls, Consumer<LayerShape> f) {
        for (LayerShape s : ls) {
            f.accept(s);
            walk(s.body(), f);
            walk(s.shortcut(), f);
        }
    }

    /**
     * The number of trainable parameters, as PyTorch's {@code sum(p.numel() for p in
     * model.parameters())}: dense and conv weights and biases (an omitted bias is none), batchnorm's
     * weight and bias (its running mean and var are buffers, not parameters).
     */
    public long parameterCount() {
        long[] n = {0};
        walk(s -> {
            if (s.layer() instanceof Layer.Dense d) {
                n[0] += d.weight().size() + (d.bias() == null ? 0 : d.bias().size());
            } else if (s.layer() instanceof Layer.Conv2d c) {
                n[0] += c.weight().size() + (c.bias() == null ? 0 : c.bias().size());
            } else if (s.layer() instanceof Layer.BatchNorm b) {
                n[0] += (b.weight() == null ? 0 : b.weight().size()) + (b.bias() == null ? 0 : b.bias().size());
            }
        });
        return n[0];
    }

    /** The free symbols, in order of first appearance. */
    public Set<String> symbols() {
        Set<String> out = new LinkedHashSet<>();
        walk(s -> Binder.scalarsOf(s.layer(), (where, sc) -> {
            if (sc instanceof Symbol y) {
                out.add(y.name());
            }
        }));
        return out;
    }

    /**
     * True when every op is piecewise affine (dense, relu family, identity, residual, concat,
     * batchnorm, conv2d, pools, flatten); false with square or a smooth activation.
     */
    public boolean isPiecewiseLinear() {
        boolean[] pl = {true};
        walk(s -> {
            if (s.layer() instanceof Layer.Square || s.layer() instanceof Layer.Smooth) {
                pl[0] = false;
            }
        });
        return pl[0];
    }

    /**
     * Finds a layer by its {@code name}, by its 0-based index in the top-level list ({@code "3"}),
     * or by a dotted path into composites ({@code "3.layers.1"}, {@code "2.shortcut.0"}).
     *
     * @throws NetgeomException {@link IrError#IR_MISSING_KEY} when nothing matches
     */
    public LayerShape locate(String selector) {
        List<LayerShape> found = new ArrayList<>();
        walk(s -> {
            if (selector.equals(s.layer().name())) {
                found.add(s);
            }
        });
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.size() > 1) {
            throw IrError.IR_BAD_VALUE.at(found.get(1).path().toString(), "more than one layer is named '" + selector + "'");
        }
        String[] parts = selector.split("\\.");
        List<LayerShape> level = shapes;
        LayerShape cur = null;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                String kind = parts[i];
                if (!kind.equals("layers") && !kind.equals("shortcut") || i + 1 >= parts.length || cur == null) {
                    throw noLayer(selector);
                }
                level = kind.equals("layers") ? cur.body() : cur.shortcut();
                i++;
            }
            int k;
            try {
                k = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw noLayer(selector);
            }
            if (k < 0 || k >= level.size()) {
                throw noLayer(selector);
            }
            cur = level.get(k);
        }
        if (cur == null) {
            throw noLayer(selector);
        }
        return cur;
    }

    private NetgeomException noLayer(String selector) {
        return IrError.IR_MISSING_KEY.at("layers", "no layer '" + selector + "': give a layer's name, its index in the "
                + "top-level list (0.." + (layers.size() - 1) + ") or a dotted path such as 3.layers.1");
    }

    /** This model with the layer at {@code path} (as {@link LayerShape#path()}) replaced. */
    public Model replace(IrPath path, Layer replacement) {
        return new Model(name, input, replaceIn(layers, "layers", path.toString(), replacement));
    }

    private static List<Layer> replaceIn(List<Layer> ls, String prefix, String target, Layer repl) {
        List<Layer> out = new ArrayList<>(ls);
        for (int i = 0; i < ls.size(); i++) {
            String p = prefix + "[" + i + "]";
            Layer l = ls.get(i);
            if (p.equals(target)) {
                out.set(i, repl);
            } else if (target.startsWith(p + ".")) {
                if (l instanceof Layer.Residual r) {
                    out.set(i, new Layer.Residual(r.name(), replaceIn(r.layers(), p + ".layers", target, repl),
                            r.shortcut() == null ? null : replaceIn(r.shortcut(), p + ".shortcut", target, repl)));
                } else if (l instanceof Layer.Concat c) {
                    out.set(i, new Layer.Concat(c.name(), replaceIn(c.layers(), p + ".layers", target, repl)));
                }
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Model m && Objects.equals(m.name, name) && m.input.equals(input) && m.layers.equals(layers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, input, layers);
    }

    @Override
    public String toString() {
        return "Model(" + name + ", input " + input + ", " + layers.size() + " layers)";
    }
}
