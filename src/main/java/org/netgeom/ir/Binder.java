package org.netgeom.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * Binds free symbols to exact values: {@code bind(model, {w1: 1/2})} is the same model with
 * every {@code "w1"} replaced by 1/2. Also the one place that knows where the scalars of each op
 * live ({@link #scalarsOf}, {@link #mapScalars}).
 */
public final class Binder {
    private Binder() {
    }

    /** The model with the given symbols replaced by their values (others stay free). */
    public static Model bind(Model m, Map<String, Rational> values) {
        if (values.isEmpty()) {
            return m;
        }
        UnaryOperator<Scalar> f = s -> s instanceof Symbol y && values.containsKey(y.name()) ? values.get(y.name()) : s;
        List<Layer> ls = new ArrayList<>();
        for (Layer l : m.layers()) {
            ls.add(mapScalars(l, f));
        }
        return new Model(m.name(), m.input(), ls);
    }

    /**
     * Throws {@link IrError#IR_UNBOUND_SYMBOL} at the first free symbol, for engines that need
     * numbers ({@code bind} them first).
     */
    public static void requireNoSymbols(Model m) {
        m.walk(s -> scalarsOf(s.layer(), (where, sc) -> {
            if (sc instanceof Symbol y) {
                String path = s.path() + "." + where;
                throw IrError.IR_UNBOUND_SYMBOL.at(path, "free symbol '" + y.name() + "' has no value; bind it ("
                        + "for example --bind " + y.name() + "=1/2) or use an analysis that keeps symbols");
            }
        }));
    }

    /**
     * Calls {@code f(path, scalar)} for every scalar the layer itself holds (not those of its
     * inner layers); the path is relative to the layer ({@code weight[1][0]}, {@code slope}).
     */
    public static void scalarsOf(Layer l, BiConsumer<String, Scalar> f) {
        if (l instanceof Layer.Dense d) {
            tensor("weight", d.weight(), f);
            tensor("bias", d.bias(), f);
        } else if (l instanceof Layer.AbRelu a) {
            switch (a.op()) {
                case "relu", "abs" -> { }
                case "leaky_relu" -> f.accept("slope", a.neg());
                default -> {
                    f.accept("neg", a.neg());
                    f.accept("pos", a.pos());
                }
            }
        } else if (l instanceof Layer.BatchNorm b) {
            tensor("mean", b.mean(), f);
            tensor("var", b.var(), f);
            tensor("weight", b.weight(), f);
            tensor("bias", b.bias(), f);
            f.accept("eps", b.eps());
        } else if (l instanceof Layer.Conv2d c) {
            tensor("weight", c.weight(), f);
            tensor("bias", c.bias(), f);
        }
    }

    private static void tensor(String key, Tensor t, BiConsumer<String, Scalar> f) {
        if (t == null || t.isDoubleBacked()) {
            return;                       // double-backed tensors hold numbers only
        }
        int[] dims = t.shape().dims();
        for (int i = 0; i < t.size(); i++) {
            Scalar s = t.get(i);
            if (s instanceof Symbol) {
                f.accept(key + index(i, dims), s);
            } else {
                f.accept(key, s);         // numbers: the path is not needed, skip building it
            }
        }
    }

    /** {@code [i][j]...} of a flat row-major offset. */
    public static String index(int flat, int[] dims) {
        StringBuilder sb = new StringBuilder();
        int[] idx = new int[dims.length];
        for (int k = dims.length - 1; k >= 0; k--) {
            idx[k] = dims[k] == 0 ? 0 : flat % dims[k];
            flat = dims[k] == 0 ? 0 : flat / dims[k];
        }
        for (int v : idx) {
            sb.append('[').append(v).append(']');
        }
        return sb.toString();
    }

    /**
     * The layer (and its inner layers) with every scalar mapped by {@code f}: layer constants and
     * scalar-backed tensors; double-backed tensors (numbers only, from files) are kept as they are.
     */
    public static Layer mapScalars(Layer l, UnaryOperator<Scalar> f) {
        return l.accept(new LayerVisitor<Layer>() {
            private Tensor t(Tensor x) {
                return x == null || x.isDoubleBacked() ? x : x.map(f);   // double storage holds numbers only
            }

            private List<Layer> all(List<Layer> ls) {
                if (ls == null) {
                    return null;
                }
                List<Layer> out = new ArrayList<>();
                for (Layer x : ls) {
                    out.add(mapScalars(x, f));
                }
                return out;
            }

            public Layer visit(Layer.Dense d) {
                return new Layer.Dense(d.name(), t(d.weight()), t(d.bias()));
            }

            public Layer visit(Layer.AbRelu a) {
                return new Layer.AbRelu(a.name(), a.op(), f.apply(a.neg()), f.apply(a.pos()));
            }

            public Layer visit(Layer.Identity x) {
                return x;
            }

            public Layer visit(Layer.Square x) {
                return x;
            }

            public Layer visit(Layer.Smooth x) {
                return x;
            }

            public Layer visit(Layer.Residual r) {
                return new Layer.Residual(r.name(), all(r.layers()), all(r.shortcut()));
            }

            public Layer visit(Layer.Concat c) {
                return new Layer.Concat(c.name(), all(c.layers()));
            }

            public Layer visit(Layer.BatchNorm b) {
                return new Layer.BatchNorm(b.name(), t(b.mean()), t(b.var()), t(b.weight()), t(b.bias()), f.apply(b.eps()));
            }

            public Layer visit(Layer.Conv2d c) {
                return new Layer.Conv2d(c.name(), t(c.weight()), t(c.bias()), c.stride(), c.padding());
            }

            public Layer visit(Layer.MaxPool2d x) {
                return x;
            }

            public Layer visit(Layer.AvgPool2d x) {
                return x;
            }

            public Layer visit(Layer.Flatten x) {
                return x;
            }

            public Layer visit(Layer.Maxout x) {
                return x;
            }

            public Layer visit(Layer.HardTanh x) {
                return x;                        // min_val, max_val are rationals, never symbols
            }
        });
    }
}
