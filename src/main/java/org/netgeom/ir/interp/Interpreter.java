package org.netgeom.ir.interp;

import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerIndex;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one walk over the IR. It owns what every engine used to repeat: composites (a residual's
 * body, then its shortcut, then their sum; a concat's input followed by its branch), shapes
 * (flatten, conv and pool output shapes), the index arithmetic of conv taps, pool windows and maxout groups
 * (lowered once per layer and kept: an interpreter is meant to be built once per model and run at
 * many points), the JSON path of every layer, and the error paths (a domain's refusal gets the
 * path of the layer that refused; every op a domain refuses up front is reported at once). An op's
 * arithmetic is the {@link Domain}'s.
 *
 * <p>Thread-safe: the lowered maps are immutable once built; a domain instance holds the state of
 * one run.
 */
public final class Interpreter {
    private final List<Layer> layers;
    private final Shape input;
    private final String root;
    private final Map<String, Object> lowered = new ConcurrentHashMap<>();

    private Interpreter(List<Layer> layers, Shape input, String root) {
        this.layers = List.copyOf(layers);
        this.input = input;
        this.root = root;
    }

    /** An interpreter of a model's layers (paths {@code layers[i]...}). */
    public static Interpreter of(Model m) {
        return new Interpreter(m.layers(), m.input(), "layers");
    }

    /**
     * An interpreter of a list of layers taking inputs of shape {@code in}; {@code root} is the
     * list's JSON path ({@code "layers"}, {@code "layers[2].shortcut"}).
     */
    public static Interpreter of(List<Layer> layers, Shape in, String root) {
        return new Interpreter(layers, in, root);
    }

    /** The input shape. */
    public Shape input() {
        return input;
    }

    /**
     * Runs the layers in domain {@code d} on the input value {@code x}. Before anything is
     * evaluated, every layer is offered to {@link Refusals#refusal}; when some are refused, one
     * error names them all (the first refusal's code; {@code details.unsupported} lists each path,
     * op and code).
     */
    public <V> V run(Domain<V> d, V x) {
        if (d instanceof Refusals r) {
            refuseAtOnce(r);
        }
        Walk<V> w = new Walk<>(d);
        w.shape = input;
        return w.all(layers, root, x);
    }

    /** A domain that can say, before a run, which ops it cannot compute. */
    public interface Refusals {
        /** The error this domain would raise for layer {@code l}, or null when it computes it. */
        NetgeomException refusal(Layer l);
    }

    private void refuseAtOnce(Refusals r) {
        Map<String, NetgeomException> found = new LinkedHashMap<>();
        collect(r, layers, root, found);
        if (found.isEmpty()) {
            return;
        }
        Map.Entry<String, NetgeomException> first = found.entrySet().iterator().next();
        if (found.size() == 1) {
            throw first.getValue().withPathPrefix(first.getKey()).with("layer", first.getKey());
        }
        List<Map<String, Object>> list = new ArrayList<>();
        StringBuilder msg = new StringBuilder(found.size() + " layers cannot be evaluated here: ");
        int i = 0;
        for (Map.Entry<String, NetgeomException> e : found.entrySet()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("path", e.getKey());
            one.put("code", e.getValue().code().name());
            one.put("message", e.getValue().getMessage());
            list.add(one);
            msg.append(i++ == 0 ? "" : "; ").append(e.getKey()).append(": ").append(e.getValue().getMessage());
        }
        NetgeomException first0 = first.getValue();
        throw new NetgeomException(first0.code(), msg.toString(), first.getKey()).with("layer", first.getKey())
                .with("unsupported", list);
    }

    private static void collect(Refusals r, List<Layer> ls, String list, Map<String, NetgeomException> found) {
        for (int i = 0; i < ls.size(); i++) {
            String p = list + "[" + i + "]";
            Layer l = ls.get(i);
            if (l instanceof Layer.Residual res) {
                collect(r, res.layers(), p + ".layers", found);
                if (res.shortcut() != null) {
                    collect(r, res.shortcut(), p + ".shortcut", found);
                }
            } else if (l instanceof Layer.Concat c) {
                collect(r, c.layers(), p + ".layers", found);
            } else {
                NetgeomException e = r.refusal(l);
                if (e != null) {
                    found.put(p, e);
                }
            }
        }
    }

    /** One run: the domain, the current shape and path. */
    private final class Walk<V> implements LayerVisitor<V> {
        private final Domain<V> d;
        private Shape shape;
        private String path;
        private V x;

        Walk(Domain<V> d) {
            this.d = d;
        }

        V all(List<Layer> ls, String list, V in) {
            V v = in;
            for (int i = 0; i < ls.size(); i++) {
                String p = list + "[" + i + "]";
                Layer l = ls.get(i);
                path = p;
                x = v;
                try {
                    d.enter(l, p);
                    x = d.arrive(l, p, v);
                    v = l.accept(this);
                } catch (NetgeomException e) {
                    throw e.path() == null ? e.withPathPrefix(p).with("layer", p) : e;
                }
                v = d.leave(l, p, v);
            }
            return v;
        }

        @SuppressWarnings("unchecked")
        private <T> T lower(String kind, java.util.function.Supplier<T> make) {
            return (T) lowered.computeIfAbsent(path + "#" + kind, k -> make.get());
        }

        @Override
        public V visit(Layer.Dense l) {
            Linear a = lower("dense", () -> Linear.of(l));
            shape = Shape.of(l.out());
            return d.linear(a, x);
        }

        @Override
        public V visit(Layer.AbRelu l) {
            return d.twoSlope(l, x);
        }

        @Override
        public V visit(Layer.Identity l) {
            return x;
        }

        @Override
        public V visit(Layer.Square l) {
            return d.square(l, x);
        }

        @Override
        public V visit(Layer.Smooth l) {
            return d.smooth(l, x);
        }

        @Override
        public V visit(Layer.Residual l) {
            V in = x;
            Shape s = shape;
            String here = path;
            V body = all(l.layers(), here + ".layers", in);
            shape = s;
            V sc = l.shortcut() == null ? in : all(l.shortcut(), here + ".shortcut", in);
            path = here;
            return d.add(body, sc);
        }

        @Override
        public V visit(Layer.Concat l) {
            V in = x;
            Shape s = shape;
            String here = path;
            V branch = all(l.layers(), here + ".layers", in);
            int[] dims = s.dims();
            dims[0] += shape.dim(0);
            shape = Shape.of(dims);
            path = here;
            return d.concat(in, branch);
        }

        @Override
        public V visit(Layer.BatchNorm l) {
            return d.normalise(l, d.size(x) / l.features(), x);
        }

        @Override
        public V visit(Layer.Conv2d l) {
            Shape in = shape;
            Linear a = lower("conv", () -> Linear.of(l, in));
            shape = LayerIndex.convOut(l, in);
            return d.linear(a, x);
        }

        @Override
        public V visit(Layer.MaxPool2d l) {
            Shape in = shape;
            int[][] win = lower("windows", () -> LayerIndex.windows(l.kernel(), l.stride(), in));
            shape = LayerIndex.poolOut(l.kernel(), l.stride(), in);
            return d.windowMax(l, win, x);
        }

        @Override
        public V visit(Layer.AvgPool2d l) {
            Shape in = shape;
            Linear a = lower("avg", () -> Linear.of(l, in));
            shape = LayerIndex.poolOut(l.kernel(), l.stride(), in);
            return d.linear(a, x);
        }

        @Override
        public V visit(Layer.Flatten l) {
            shape = Shape.of(shape.size());
            return x;
        }

        @Override
        public V visit(Layer.Maxout l) {
            int n = d.size(x);
            int[][] groups = lower("groups", () -> LayerIndex.groups(n, l.k()));
            shape = Shape.of(n / l.k());
            return d.windowMax(l, groups, x);
        }

        @Override
        public V visit(Layer.HardTanh l) {
            return d.clamp(l, x);
        }
    }
}
