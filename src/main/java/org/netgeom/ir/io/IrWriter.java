package org.netgeom.ir.io;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the model IR, version 1, so that {@link IrReader} reads back an equal model: exact
 * rationals as strings {@code "p/q"}, symbols as their names, one layer per line (composites
 * indented), as a person would write it by hand.
 *
 * <p>Double-backed tensors (from tensor files or training) are written per {@link DoubleStyle}:
 * {@code EXACT} as the rational each double exactly is (round trip to an equal model), or
 * {@code SHORTEST} as JSON numbers whose decimal text reads back to the same double (trained
 * weights). With {@link Options#keepReferences} a tensor that came from a safetensors file is
 * written as its {@code {"file", "key"}} reference.
 */
public final class IrWriter {
    /** How double-backed tensors are spelled. */
    public enum DoubleStyle {
        /** The exact rational value, as a string ("13421773/134217728"). */
        EXACT,
        /** A JSON number that reads back to the same double (Java's round-trip decimal). */
        SHORTEST
    }

    /** Writer options. */
    public record Options(DoubleStyle doubles, boolean keepReferences) {
        public static final Options DEFAULT = new Options(DoubleStyle.EXACT, true);
        public static final Options TRAINED = new Options(DoubleStyle.SHORTEST, false);
    }

    private final Options opt;
    private final StringBuilder sb = new StringBuilder();

    private IrWriter(Options opt) {
        this.opt = opt;
    }

    public static String toJson(Model m) {
        return toJson(m, Options.DEFAULT);
    }

    public static String toJson(Model m, Options opt) {
        IrWriter w = new IrWriter(opt);
        w.model(m);
        return w.sb.toString();
    }

    /** Writes the model atomically to {@code file}. */
    public static void write(Model m, Path file, Options opt) {
        AtomicFiles.writeString(file, toJson(m, opt));
    }

    private void model(Model m) {
        sb.append("{\n  \"netgeom\": ").append(Model.VERSION).append(",\n");
        if (m.name() != null) {
            sb.append("  \"name\": ").append(str(m.name())).append(",\n");
        }
        sb.append("  \"input\": ").append(m.input()).append(",\n");
        sb.append("  \"layers\": ");
        layers(m.layers(), "  ");
        sb.append("\n}\n");
    }

    private void layers(List<Layer> ls, String indent) {
        if (ls.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append("[\n");
        for (int i = 0; i < ls.size(); i++) {
            sb.append(indent).append("  ");
            layer(ls.get(i), indent + "  ");
            sb.append(i + 1 < ls.size() ? ",\n" : "\n");
        }
        sb.append(indent).append(']');
    }

    private void layer(Layer l, String indent) {
        List<String> kv = new ArrayList<>();
        kv.add("\"op\": " + str(l.op()));
        if (l.name() != null) {
            kv.add("\"name\": " + str(l.name()));
        }
        sb.append('{').append(String.join(", ", kv));
        l.accept(new LayerVisitor<Void>() {
            public Void visit(Layer.Dense d) {
                put("weight", d.weight());
                put("bias", d.bias());
                return null;
            }

            public Void visit(Layer.AbRelu a) {
                switch (a.op()) {
                    case "relu", "abs" -> { }
                    case "leaky_relu" -> put("slope", a.neg());
                    default -> {
                        put("neg", a.neg());
                        put("pos", a.pos());
                    }
                }
                return null;
            }

            public Void visit(Layer.Identity x) {
                return null;
            }

            public Void visit(Layer.Square x) {
                return null;
            }

            public Void visit(Layer.Smooth x) {
                return null;
            }

            public Void visit(Layer.Residual r) {
                sb.append(", \"layers\": ");
                layers(r.layers(), indent);
                if (r.shortcut() != null) {
                    sb.append(", \"shortcut\": ");
                    layers(r.shortcut(), indent);
                }
                return null;
            }

            public Void visit(Layer.Concat c) {
                sb.append(", \"layers\": ");
                layers(c.layers(), indent);
                return null;
            }

            public Void visit(Layer.BatchNorm b) {
                put("mean", b.mean());
                put("var", b.var());
                put("weight", b.weight());
                put("bias", b.bias());
                put("eps", b.eps());
                return null;
            }

            public Void visit(Layer.Conv2d c) {
                put("weight", c.weight());
                put("bias", c.bias());
                sb.append(", \"stride\": ").append(hw(c.stride())).append(", \"padding\": ").append(hw(c.padding()));
                return null;
            }

            public Void visit(Layer.MaxPool2d p) {
                sb.append(", \"kernel\": ").append(hw(p.kernel())).append(", \"stride\": ").append(hw(p.stride()));
                return null;
            }

            public Void visit(Layer.AvgPool2d p) {
                sb.append(", \"kernel\": ").append(hw(p.kernel())).append(", \"stride\": ").append(hw(p.stride()));
                return null;
            }

            public Void visit(Layer.Flatten x) {
                return null;
            }

            public Void visit(Layer.Maxout m) {
                sb.append(", \"k\": ").append(m.k());
                return null;
            }

            public Void visit(Layer.HardTanh h) {
                put("min_val", h.min());
                put("max_val", h.max());
                return null;
            }
        });
        sb.append('}');
    }

    private static String hw(Layer.Hw v) {
        return v.h() == v.w() ? Integer.toString(v.h()) : "[" + v.h() + ", " + v.w() + "]";
    }

    private void put(String key, Scalar s) {
        sb.append(", ").append(str(key)).append(": ").append(str(s.toString()));
    }

    private void put(String key, Tensor t) {
        if (t == null) {
            return;
        }
        sb.append(", ").append(str(key)).append(": ");
        if (opt.keepReferences() && t.source() != null) {
            sb.append("{\"file\": ").append(str(t.source().file())).append(", \"key\": ").append(str(t.source().key())).append('}');
            return;
        }
        int[] dims = t.shape().dims();
        double[] doubles = t.isDoubleBacked() ? t.nearestDoubles() : null;
        nested(t, doubles, dims, 0, 0);
    }

    /** Writes the sub-tensor at {@code depth} starting at flat offset {@code off}; returns the next offset. */
    private int nested(Tensor t, double[] doubles, int[] dims, int depth, int off) {
        if (depth == dims.length) {
            if (doubles != null && opt.doubles() == DoubleStyle.SHORTEST) {
                sb.append(shortest(doubles[off]));
            } else {
                Scalar s = doubles != null ? Rational.fromDouble(doubles[off]) : t.get(off);
                sb.append(str(s.toString()));
            }
            return off + 1;
        }
        sb.append('[');
        for (int i = 0; i < dims[depth]; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            off = nested(t, doubles, dims, depth + 1, off);
        }
        sb.append(']');
        return off;
    }

    /** A JSON number that reads back (as an exact decimal, then rounded) to the same double. */
    static String shortest(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    private static String str(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
